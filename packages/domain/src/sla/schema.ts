import { z } from 'zod';
import type { Urgency } from '../community/schema';
import { SlaDuration } from './duration';

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
const SlaOverride = z.strictObject({ accept: SlaDuration.optional(), resolve: SlaDuration.optional() });

export const SlaConfig = z.strictObject({
  // DOMAIN.md §8 defaults.
  emergency: slaRule('15m', '4h'),
  urgent: slaRule('2h', '24h'),
  normal: slaRule('1wd', '7wd'),
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

/** The follow-up clock (DOMAIN.md §8): reminders, reminder letters 提示函, warning letters 警示函. */
export const FollowUpConfig = z.strictObject({
  /** Days a resolved issue waits for verification before it closes by itself. */
  autoCloseDays: z.number().int().positive().default(7),
  /** An overdue task still overdue this long after its reminder brings its organisation a 提示函. */
  reminderLetterAfter: SlaDuration.prefault('1wd'),
  /** This many 提示函 to one organisation within the window bring a 警示函. */
  warningAfterReminderLetters: z.number().int().positive().default(3),
  warningWindowDays: z.number().int().positive().default(90),
});
export type FollowUpConfig = z.infer<typeof FollowUpConfig>;
