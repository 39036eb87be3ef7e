import { z } from 'zod';
import type { Urgency } from '../community/orgs';
import { SlaDuration } from './duration';
import { DEFAULT_WORKING_HOURS, WorkingHoursConfig } from './working-hours';

// This file must not import values from community/schema.ts: that file imports these sections, and
// a cycle would leave one side undefined when the modules load.

/** Time to accept a task (接单) and to resolve it (办结), counted from the report. */
const slaRule = (accept: string, resolve: string) =>
  z
    .strictObject({ accept: SlaDuration.prefault(accept), resolve: SlaDuration.prefault(resolve) })
    .prefault({});

export const SlaRule = z.strictObject({ accept: SlaDuration, resolve: SlaDuration });
export type SlaRule = z.infer<typeof SlaRule>;

/** A category's own limits for some urgencies; what it leaves out comes from the urgency's rule. */
const SlaOverride = z.strictObject({
  accept: SlaDuration.optional(),
  resolve: SlaDuration.optional(),
  contact: SlaDuration.optional(),
});

/**
 * Time to contact the reporter (响应, the first call, message or reply the reporter sees), counted
 * from the report, per urgency: the limit of the 响应率 (docs/domain.md §8, §11).
 */
export const ContactSlaConfig = z
  .strictObject({
    emergency: SlaDuration.prefault('30m'),
    urgent: SlaDuration.prefault('2wh'),
    normal: SlaDuration.prefault('1wd'),
  } satisfies Record<Urgency, unknown>)
  .prefault({});
export type ContactSlaConfig = z.infer<typeof ContactSlaConfig>;

export const SlaConfig = z.strictObject({
  // docs/domain.md §8 defaults.
  emergency: slaRule('15m', '4h'),
  urgent: slaRule('2h', '24h'),
  normal: slaRule('1wd', '7wd'),
  /** The reporter contacted within (响应), per urgency; a category may override it below. */
  contact: ContactSlaConfig,
  /** The working hours of a working day in the community's time zone, for "wh" durations. */
  workingHours: WorkingHoursConfig.default([...DEFAULT_WORKING_HOURS]),
  /** Per category key (must be a category of the community), per urgency. */
  categories: z
    .record(
      z.string(),
      z.strictObject({
        emergency: SlaOverride.optional(),
        urgent: SlaOverride.optional(),
        normal: SlaOverride.optional(),
      } satisfies Record<Urgency, unknown>),
    )
    .default({}),
});
export type SlaConfig = z.infer<typeof SlaConfig>;

/** The residents-press-hard triggers (community config `followUp.letterTriggers`, with defaults). */
export const LetterTriggerConfig = z.strictObject({
  /** Residents' complaints on one issue (its reporter rejecting a fix, a low rating, a merged duplicate) that propose a 警示函. */
  complaintsPerIssue: z.number().int().min(1).default(3),
  /** A rating at or below this score counts as a complaint. */
  lowRatingAtMost: z.number().int().min(1).max(5).default(2),
  /** 满意率 of an organisation below this (0–1) in a calendar month proposes a 警示函 … */
  satisfactionBelow: z.number().min(0).max(1).default(0.6),
  /** … once at least this many ratings were given in that month. */
  satisfactionMinRatings: z.number().int().min(1).default(5),
});
export type LetterTriggerConfig = z.infer<typeof LetterTriggerConfig>;

/** The follow-up clock (docs/domain.md §8): reminders, reminder letters 提示函, warning letters 警示函. */
export const FollowUpConfig = z.strictObject({
  /** Days a resolved issue waits for verification before it closes by itself. */
  autoCloseDays: z.number().int().positive().default(7),
  /** An overdue task still overdue this long after its reminder brings its organisation a 提示函. */
  reminderLetterAfter: SlaDuration.prefault('1wd'),
  /** This many 提示函 to one organisation within the window bring a 警示函. */
  warningAfterReminderLetters: z.number().int().positive().default(3),
  warningWindowDays: z.number().int().positive().default(90),
  /** When residents press hard, the clock proposes a 警示函 to the leadership (seed 001 §七.3). */
  letterTriggers: LetterTriggerConfig.prefault({}),
});
export type FollowUpConfig = z.infer<typeof FollowUpConfig>;
