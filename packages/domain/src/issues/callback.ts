import { z } from 'zod';
import { Conflict, Forbidden } from '../errors';
import type { Actor, IssueAccessFacts } from './access';
import type { IssueStatus } from './schema';

/**
 * 回访 and 响应 (docs/domain.md §6, §11; Beijing's 接诉即办 三率). Two facts about the reporter:
 * - the first contact (响应): staff record 已联系 with the means (a call, a message, a visit, a reply
 *   in the app), or a staff step with a note the reporter reads on the tracking page (接单, 开始处理,
 *   办结 with a note). Only the first counts, against the contact deadline (sla.contact);
 * - the callback (回访) after closing: 解决了吗 (solved) and 满意吗 (a score 1–5, satisfied at ≥ 4),
 *   answered online by the reporter (the rating, issues/rating.ts) or recorded by staff after a
 *   phone call. One callback per issue, whichever comes first: both are the issue's one rating.
 */

export const CONTACT_MEANS = ['phone', 'sms', 'in_app', 'visit'] as const;
export type ContactMeans = (typeof CONTACT_MEANS)[number];
export const CONTACT_MEANS_NAMES: Record<ContactMeans, string> = {
  phone: '电话',
  sms: '短信',
  in_app: '应用内回复',
  visit: '上门',
};

export const ContactInput = z.strictObject({
  means: z.enum(CONTACT_MEANS, { error: '请选择联系方式：电话、短信、应用内回复或上门' }),
  note: z.string().trim().max(200, '说明最多 200 字').optional(),
});
export type ContactInput = z.infer<typeof ContactInput>;

/** The five answers to 满意吗, as staff read them out on the phone; 4 and 5 count as satisfied. */
export const SATISFACTION_LABELS: Record<1 | 2 | 3 | 4 | 5, string> = {
  5: '非常满意',
  4: '满意',
  3: '一般',
  2: '不满意',
  1: '非常不满意',
};

export const PhoneCallbackInput = z.strictObject({
  solved: z.boolean({ error: '请记录“问题解决了吗”的回答' }),
  score: z
    .number({ error: '请记录“您满意吗”的回答' })
    .int('满意程度须为 1–5 的整数')
    .min(1, '满意程度最低 1')
    .max(5, '满意程度最高 5'),
  note: z.string().trim().max(500, '回访记录最多 500 字').optional(),
});
export type PhoneCallbackInput = z.infer<typeof PhoneCallbackInput>;

/**
 * Channels where staff found the problem themselves: nobody to contact, no contact deadline. Every
 * other channel (a resident's complaint, the duty desk, on a resident's behalf, orders handed over)
 * has a reporter to contact.
 */
export const SELF_FOUND_CHANNELS: readonly string[] = ['patrol', 'property_patrol'];
export const needsContact = (channel: string) => !SELF_FOUND_CHANNELS.includes(channel);

/** Staff steps whose note the reporter reads on the tracking page: the first one is a contact. */
export const REPLY_ACTIONS: readonly string[] = ['accept', 'start', 'resolve'];

/** Whether an event in the record contacts the reporter (see the module comment). */
export const contactsReporter = (action: string, note: string | null | undefined) =>
  action === 'contact_reporter' || (REPLY_ACTIONS.includes(action) && !!note?.trim());

const inZoneAs = (actor: Actor, zone: string, org: string) =>
  !!actor.roles?.zones.some((z) => z.zone === zone && z.org === org);

/**
 * Who records 已联系: those handling the issue — its owner, a person with its task, the property
 * manager, the residents' committee of its zone (the rc desk) and administrators.
 */
export function mayRecordContact(actor: Actor, issue: IssueAccessFacts): boolean {
  if (actor.admin) return true;
  const r = actor.roles;
  if (!r) return false;
  return (
    issue.owner === r.person ||
    issue.assignees.includes(r.person) ||
    r.propertyManager ||
    inZoneAs(actor, issue.zone, 'rc')
  );
}

/**
 * Who records a phone callback: not the hands that did the work — the owner, the residents'
 * committee of the zone (the rc desk), the secretary and administrators.
 */
export function mayRecordCallback(actor: Actor, issue: IssueAccessFacts): boolean {
  if (actor.admin) return true;
  const r = actor.roles;
  if (!r) return false;
  return issue.owner === r.person || r.secretary || inZoneAs(actor, issue.zone, 'rc');
}

/** Whether any callback rule could let this person record one somewhere (the work menu, the list). */
export const recordsCallbacks = (actor: Actor) =>
  actor.admin ||
  (!!actor.roles &&
    (actor.roles.secretary ||
      actor.roles.linesLed.length > 0 ||
      actor.roles.zones.some((z) => z.leader || z.org === 'rc')));

const NO_CONTACT: readonly IssueStatus[] = ['merged', 'rejected'];

/** The 回访 steps open on an issue in this state, for the 409's `allowed`. */
export function callbackSteps(
  status: IssueStatus,
  rated: boolean,
): ('contact_reporter' | 'phone_callback')[] {
  const out: ('contact_reporter' | 'phone_callback')[] = [];
  if (!NO_CONTACT.includes(status)) out.push('contact_reporter');
  if (status === 'closed' && !rated) out.push('phone_callback');
  return out;
}

/** Refuse recording a contact: the wrong person (403), a merged or rejected issue (409). */
export function checkContact(
  actor: Actor,
  issue: IssueAccessFacts & { status: IssueStatus },
  rated: boolean,
) {
  if (!mayRecordContact(actor, issue)) {
    throw Forbidden('not_handling_issue', '只有负责处理该问题的人员可以记录联系反映人');
  }
  if (NO_CONTACT.includes(issue.status)) {
    throw Conflict('contact_not_open', '该问题已合并或驳回，不再记录联系', [
      {
        path: 'status',
        message: `state=${issue.status}`,
        state: issue.status,
        allowed: callbackSteps(issue.status, rated),
      },
    ]);
  }
}

/**
 * Refuse recording a phone callback: the wrong person (403), an issue not closed (409: 回访 comes
 * after closing), an issue already called back or rated online (409).
 */
export function checkPhoneCallback(
  actor: Actor,
  issue: IssueAccessFacts & { status: IssueStatus },
  rated: boolean,
) {
  if (!mayRecordCallback(actor, issue)) {
    throw Forbidden('not_callback_desk', '只有问题的负责人、所在区域的居委会或党支部书记可以记录电话回访');
  }
  const details = [
    {
      path: 'status',
      message: `state=${issue.status}`,
      state: issue.status,
      allowed: callbackSteps(issue.status, rated),
    },
  ];
  if (rated) throw Conflict('already_rated', '该问题已回访或已由反映人评价，每个问题只回访一次', details);
  if (issue.status !== 'closed') {
    throw Conflict('issue_not_closed', '问题结案后才能回访', details);
  }
}

/** The reporter-contact facts of an issue, and what the caller may record (issue detail). */
export const ReporterContactView = z.object({
  /** The contact deadline (响应); null where nobody is to be contacted (staff found it). */
  dueAt: z.string().nullable(),
  /** When the reporter was first contacted; null while not yet. */
  firstAt: z.string().nullable(),
  /** The caller may record 已联系 now. */
  canRecord: z.boolean(),
  /** The caller may record a phone callback now (closed, not yet called back or rated). */
  canCallback: z.boolean(),
});
export type ReporterContactView = z.infer<typeof ReporterContactView>;

/** One closed issue awaiting its callback (回访), for the callback desk. */
export const CallbackItemView = z.object({
  id: z.string(),
  code: z.string(),
  zoneName: z.string(),
  categoryName: z.string(),
  building: z.number().int().nullable(),
  description: z.string(),
  closedAt: z.string().nullable(),
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
});
export const CallbackListView = z.object({ items: z.array(CallbackItemView) });
export type CallbackListView = z.infer<typeof CallbackListView>;
