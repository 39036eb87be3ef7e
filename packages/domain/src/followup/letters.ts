import { z } from 'zod';
import { isOrgMember } from '../community/lookup';
import { ORG_NAMES, ORGS, type Org } from '../community/schema';
import type { Community } from '../community/validate';
import { type Actor, readsAllIssues } from '../issues/access';
import type { TaskRole } from '../routing/decide-route';
import type { TaskStatus } from '../tasks/lifecycle';

/**
 * The warning system of seed 001 (建立警示制度): a reminder letter (提示函) to an organisation for
 * a lapse, caught early; a warning letter (警示函) for repeated or serious lapses.
 */
export const LETTER_KINDS = ['reminder', 'warning'] as const;
export const LetterKind = z.enum(LETTER_KINDS);
export type LetterKind = z.infer<typeof LetterKind>;
export const LETTER_KIND_NAMES: Record<LetterKind, string> = { reminder: '提示函', warning: '警示函' };

export const LAPSE_KINDS = ['accept_overdue', 'resolve_overdue', 'report_back_missed'] as const;
export type LapseKind = (typeof LAPSE_KINDS)[number];
export const LAPSE_NAMES: Record<LapseKind, string> = {
  accept_overdue: '超时未接单',
  resolve_overdue: '超时未办结',
  report_back_missed: '应急处置未按时报备',
};

export type OverdueKind = 'accept' | 'resolve';

/**
 * What the follow-up clock does when a task's escalation time comes (docs/domain.md §8): the first time,
 * a reminder (提示) to the assignee and the owner; still overdue after a second interval, a reminder
 * letter to the organisation. After that the task's own clock stops; repeated letters may lead to a
 * warning letter (see warningLetterDue).
 */
export function overdueStep(
  status: TaskStatus,
  stage: number,
): { kind: OverdueKind; step: 'reminder' | 'reminder_letter' } | null {
  const kind: OverdueKind | null =
    status === 'open' ? 'accept' : status === 'accepted' || status === 'in_progress' ? 'resolve' : null;
  if (!kind) return null;
  if (stage === 0) return { kind, step: 'reminder' };
  if (stage === 1) return { kind, step: 'reminder_letter' };
  return null;
}

/** Repeated lapses: this many reminder letters within the window call for a warning letter. */
export const warningLetterDue = (reminderLettersInWindow: number, threshold: number) =>
  reminderLettersInWindow >= threshold && reminderLettersInWindow % threshold === 0;

/**
 * The organisation answerable for a task: property roles answer for the property company; a zone
 * leader for the leader's organisation; a line leader for the organisation they belong to in a zone,
 * else the property company (the lines are maintenance lines, 日常维修保养, seed 000).
 */
export function orgOfTask(community: Community, zoneKey: string, role: TaskRole, person: string): Org {
  if (role === 'property_manager' || role === 'property_specialist') return 'property';
  if (role === 'rc_mediator') return 'rc';
  const zone = community.zones.get(zoneKey);
  if (role === 'zone_leader' && zone) return zone.leader.org;
  for (const z of community.zones.values()) {
    const m = z.members.find((x) => x.person === person);
    if (m) return m.org;
    if (z.leader.person === person) return z.leader.org;
  }
  return 'property';
}

export interface LetterFacts {
  kind: LetterKind;
  communityName: string;
  org: Org;
  year: number;
  seq: number;
  /** Local date of issue, YYYY-MM-DD. */
  date: string;
  reason: string;
  issues: { code: string; summary: string }[];
}

export const letterNumber = (f: Pick<LetterFacts, 'kind' | 'communityName' | 'year' | 'seq'>) =>
  `${f.communityName}${f.kind === 'reminder' ? '提示' : '警示'}〔${f.year}〕${f.seq}号`;

/** The letter's text, from the seed's wording of the warning system. */
export function letterText(f: LetterFacts): string {
  const [y, m, d] = f.date.split('-').map(Number);
  const body =
    f.kind === 'reminder'
      ? '根据社区议事协调制度“建立警示制度”的规定，现发出提示函，主动予以提醒，请及时处置并反馈结果，将问题解决在早期。'
      : '上述问题群众反映强烈或屡经提示仍未纠正。根据社区议事协调制度“建立警示制度”的规定，现发出警示函，要求主动及时纠正，并于三个工作日内书面反馈整改情况。该函记入诚信档案。';
  return [
    `${LETTER_KIND_NAMES[f.kind]}`,
    letterNumber(f),
    '',
    `${ORG_NAMES[f.org]}：`,
    `　　经查，${f.reason}，涉及以下事项：`,
    ...f.issues.map((i, n) => `　　${n + 1}. ${i.code}　${i.summary}`),
    `　　${body}`,
    '',
    `${f.communityName}党建引领“四位一体”工作领导小组`,
    `${y}年${m}月${d}日`,
  ].join('\n');
}

/**
 * Organisations whose letters (and credit files) the caller may read: those they speak for;
 * every one for the secretary, the leadership group, the property manager and administrators.
 */
export function readableLetterOrgs(actor: Actor, community: Community): Org[] | 'all' {
  if (readsAllIssues(actor)) return 'all';
  const person = actor.roles?.person;
  if (!person) return [];
  return ORGS.filter((o) => isOrgMember(community, o, person));
}

/** Whether the caller reads any organisation's letters at all. */
export const readsLetters = (orgs: Org[] | 'all') => orgs === 'all' || orgs.length > 0;

/** Who acknowledges (签收) a letter: a person of the organisation it is addressed to. */
export function acknowledgesLetter(actor: Actor, community: Community, org: Org): boolean {
  const person = actor.roles?.person;
  return !!person && isOrgMember(community, org, person);
}

export const LETTER_ACTIONS = ['acknowledge'] as const;
export type LetterAction = (typeof LETTER_ACTIONS)[number];

/**
 * What the caller may do to a letter now (its view's `allowedActions`): acknowledge it, once, when
 * they speak for its organisation (`acknowledgesLetter`, the check the acknowledgement runs).
 */
export const letterActions = (
  actor: Actor,
  community: Community,
  letter: { org: Org; acknowledged: boolean },
): LetterAction[] =>
  !letter.acknowledged && acknowledgesLetter(actor, community, letter.org) ? ['acknowledge'] : [];
