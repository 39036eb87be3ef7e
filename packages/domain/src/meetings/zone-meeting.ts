import { z } from 'zod';
import { getZone } from '../community/lookup';
import type { ZoneConfig } from '../community/schema';
import type { Community } from '../community/validate';
import { Conflict, type ErrorDetail, Forbidden, Invalid } from '../errors';
import { isFinal } from '../issues/lifecycle';
import { type IssueStatus, STATUS_NAMES, TIER_NAMES, type Tier } from '../issues/schema';
import { Instant, PersonKey, parseInput, requiredText } from './parse';
import { assertStarted, type InstantLike, toDate } from './time';

/**
 * Zone meeting (区域会议, seed 000 处置流程 1–2): the zone leader convenes the zone's members,
 * hears the residents, writes minutes, and for each agenda issue records either a plan to
 * resolve it in the zone or a resolution to escalate it to the joint meeting.
 *
 *   convened ─record_attendance→ held ─record_minutes→ minutes_recorded (closed)
 *
 * Attendance can be corrected while the meeting is `held`; minutes, once recorded, are the record.
 */
export const ZONE_MEETING_STATUSES = ['convened', 'held', 'minutes_recorded'] as const;
export const ZoneMeetingStatus = z.enum(ZONE_MEETING_STATUSES);
export type ZoneMeetingStatus = z.infer<typeof ZoneMeetingStatus>;

export const ZONE_MEETING_STATUS_NAMES: Record<ZoneMeetingStatus, string> = {
  convened: '已召集',
  held: '已召开',
  minutes_recorded: '已形成纪要（会议结束）',
};

export const ZONE_MEETING_ACTIONS = ['record_attendance', 'record_minutes'] as const;
export type ZoneMeetingAction = (typeof ZONE_MEETING_ACTIONS)[number];

export const ZONE_MEETING_ACTION_NAMES: Record<ZoneMeetingAction, string> = {
  record_attendance: '登记出席',
  record_minutes: '记录会议纪要和处理意见',
};

export const ZONE_MEETING_TRANSITIONS: Record<
  ZoneMeetingAction,
  { from: readonly ZoneMeetingStatus[]; to: ZoneMeetingStatus }
> = {
  record_attendance: { from: ['convened', 'held'], to: 'held' },
  record_minutes: { from: ['held'], to: 'minutes_recorded' },
};

/** What the zone meeting decided about one agenda issue: exactly one of these. */
export const ZoneOutcome = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('resolve_in_zone'),
      /** The plan (方案): what is done, by whom; the issue's tasks are dispatched from it. */
      plan: requiredText('请填写区域内解决方案', 2000),
    }),
    z.strictObject({
      kind: z.literal('escalate'),
      /** The meeting's resolution (会议决议) to report the issue to the joint meeting, with why. */
      resolution: requiredText('请填写上报联席会议的决议', 2000),
      /** The plan the zone proposes to the joint meeting, if it has one (seed 000: 决议和方案). */
      proposal: z.string().trim().max(2000, '最多 2000 字').optional(),
    }),
  ],
  '处理意见应为 resolve_in_zone（区域内解决）或 escalate（上报联席会议）',
);
export type ZoneOutcome = z.infer<typeof ZoneOutcome>;

export const ZONE_OUTCOME_NAMES: Record<ZoneOutcome['kind'], string> = {
  resolve_in_zone: '区域内解决',
  escalate: '上报联席会议',
};

export const ZoneMeeting = z.object({
  id: z.string(),
  zone: z.string(),
  convenedBy: z.string(),
  at: z.string(),
  place: z.string(),
  agenda: z.array(z.object({ issue: z.string(), title: z.string().optional() })),
  /** Everyone of the zone but the convener: they get the notice in their inbox. */
  invitees: z.array(z.string()),
  status: ZoneMeetingStatus,
  attendees: z.array(z.string()),
  residentViews: z.string().nullable(),
  minutes: z.string().nullable(),
  outcomes: z.array(z.object({ issue: z.string(), outcome: ZoneOutcome })),
  minutesRecordedAt: z.string().nullable(),
});
export type ZoneMeeting = z.infer<typeof ZoneMeeting>;

/** The facts of an issue the meeting needs; the service loads them. */
export interface AgendaIssueFacts {
  id: string;
  zone: string;
  tier: Tier;
  status: IssueStatus;
  title?: string;
}

/** The zone's people: its leader and members, each once. */
export function zonePeople(zone: ZoneConfig): string[] {
  return [...new Set([zone.leader.person, ...zone.members.map((m) => m.person)])];
}

/** The zone's leader (组长) convenes its meetings and records them. */
export const leadsZoneMeetings = (zone: Pick<ZoneConfig, 'leader'>, actor: string | null) =>
  actor !== null && zone.leader.person === actor;

function requireLeader(zone: ZoneConfig, actor: string, what: string) {
  if (leadsZoneMeetings(zone, actor)) return;
  if (!zonePeople(zone).includes(actor)) {
    throw Forbidden('not_zone_member', `您不是${zone.name}的成员，不能${what}`);
  }
  throw Forbidden('not_zone_leader', `只有${zone.name}的组长才能${what}`);
}

function requireState(meeting: ZoneMeeting, action: ZoneMeetingAction) {
  const t = ZONE_MEETING_TRANSITIONS[action];
  if (t.from.includes(meeting.status)) return t.to;
  throw Conflict(
    'zone_meeting_state',
    `区域会议当前状态为“${ZONE_MEETING_STATUS_NAMES[meeting.status]}”，不能${ZONE_MEETING_ACTION_NAMES[action]}`,
    [{ path: 'status', message: `state=${meeting.status}`, state: meeting.status }],
  );
}

export const ConveneZoneMeetingInput = z.strictObject({
  zone: z.string('请选择区域').min(1, '请选择区域'),
  at: Instant,
  place: requiredText('请填写会议地点', 100),
  /** Issue ids: zone-tier, open issues of this zone. */
  agenda: z
    .array(z.string().min(1), '请选择议题')
    .min(1, '请至少选择一个议题')
    .max(50, '一次会议最多 50 个议题'),
});
export type ConveneZoneMeetingInput = z.input<typeof ConveneZoneMeetingInput>;

/**
 * The zone leader convenes a meeting. Only the leader (403 otherwise); the agenda only open
 * zone-tier issues of this zone (400 naming `agenda[i]`). Returns the meeting to store; its
 * `invitees` get the notice.
 */
export function conveneZoneMeeting(
  community: Community,
  actor: string,
  id: string,
  raw: unknown,
  issues: readonly AgendaIssueFacts[],
): ZoneMeeting {
  const input = parseInput(ConveneZoneMeetingInput, raw, 'invalid_zone_meeting', '区域会议信息有误');
  const zone = getZone(community, input.zone);
  requireLeader(zone, actor, '召集区域会议');
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  input.agenda.forEach((issueId, i) => {
    const path = `agenda[${i}]`;
    const issue = issues.find((x) => x.id === issueId);
    if (seen.has(issueId)) problems.push({ path, message: `议题 ${issueId} 重复` });
    else if (!issue) problems.push({ path, message: `问题 ${issueId} 不存在` });
    else if (issue.zone !== zone.key) problems.push({ path, message: `问题 ${issueId} 不属于${zone.name}` });
    else if (issue.tier !== 'zone') {
      problems.push({
        path,
        message: `问题 ${issueId} 由${TIER_NAMES[issue.tier]}处理，不在区域会议议题范围内`,
      });
    } else if (isFinal(issue.status)) {
      problems.push({ path, message: `问题 ${issueId} ${STATUS_NAMES[issue.status]}，无需再议` });
    } else if (issue.status === 'escalated') {
      problems.push({ path, message: `问题 ${issueId} ${STATUS_NAMES[issue.status]}，由联席会议审议` });
    }
    seen.add(issueId);
  });
  if (problems.length > 0) {
    throw Invalid('invalid_zone_agenda', `议题有误：${problems.map((p) => p.message).join('；')}`, problems);
  }
  return {
    id,
    zone: zone.key,
    convenedBy: actor,
    at: toDate(input.at).toISOString(),
    place: input.place,
    agenda: input.agenda.map((issueId) => {
      const title = issues.find((x) => x.id === issueId)?.title;
      return title === undefined ? { issue: issueId } : { issue: issueId, title };
    }),
    invitees: zonePeople(zone).filter((p) => p !== actor),
    status: 'convened',
    attendees: [],
    residentViews: null,
    minutes: null,
    outcomes: [],
    minutesRecordedAt: null,
  };
}

export const ZoneAttendanceInput = z.strictObject({
  attendees: z.array(PersonKey, '请填写出席人员').min(1, '请至少登记一名出席人员'),
});

/**
 * The zone leader records who attended; the meeting is then `held`. A person outside the zone
 * may not record (403 not_zone_member); an attendee outside the zone is refused (400, `attendees[i]`);
 * not before the meeting's time (409 meeting_not_started).
 */
export function recordZoneAttendance(
  community: Community,
  meeting: ZoneMeeting,
  actor: string,
  raw: unknown,
  now: Date,
): ZoneMeeting {
  const zone = getZone(community, meeting.zone);
  requireLeader(zone, actor, '登记区域会议出席情况');
  const to = requireState(meeting, 'record_attendance');
  assertStarted(meeting.at, now, community.config.timezone);
  const input = parseInput(ZoneAttendanceInput, raw, 'invalid_attendance', '出席登记有误');
  const people = zonePeople(zone);
  const outsiders: ErrorDetail[] = [];
  const duplicates: ErrorDetail[] = [];
  input.attendees.forEach((p, i) => {
    const name = community.people.get(p)?.name ?? p;
    if (!people.includes(p))
      outsiders.push({ path: `attendees[${i}]`, message: `${name} 不是${zone.name}的成员` });
    else if (input.attendees.indexOf(p) !== i)
      duplicates.push({ path: `attendees[${i}]`, message: `${name} 重复登记` });
  });
  const problems = [...outsiders, ...duplicates];
  if (problems.length > 0) {
    throw Invalid(
      outsiders.length > 0 ? 'attendee_not_zone_member' : 'duplicate_attendee',
      `出席登记有误：${problems.map((p) => p.message).join('；')}`,
      problems,
    );
  }
  return { ...meeting, status: to, attendees: input.attendees };
}

export const ZoneMinutesInput = z.strictObject({
  minutes: requiredText('请填写会议纪要', 10000),
  /** The residents' views heard (充分听取本区域内业主、居民的意愿). */
  residentViews: z.string().trim().max(5000, '最多 5000 字').optional(),
  outcomes: z.array(z.strictObject({ issue: z.string().min(1, '请指定问题'), outcome: ZoneOutcome })),
});
export type ZoneMinutesInput = z.input<typeof ZoneMinutesInput>;

/**
 * The zone leader records the minutes and, for EVERY agenda issue, exactly one outcome (400
 * naming `outcomes` for a missing one, `outcomes[i].issue` for a duplicate or off-agenda one).
 * Closes the meeting.
 */
export function recordZoneMinutes(
  community: Community,
  meeting: ZoneMeeting,
  actor: string,
  raw: unknown,
  now: InstantLike,
): ZoneMeeting {
  const zone = getZone(community, meeting.zone);
  requireLeader(zone, actor, '记录区域会议纪要');
  const to = requireState(meeting, 'record_minutes');
  const input = parseInput(ZoneMinutesInput, raw, 'invalid_zone_minutes', '会议纪要有误');
  const agenda = meeting.agenda.map((a) => a.issue);
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  input.outcomes.forEach((o, i) => {
    if (!agenda.includes(o.issue)) {
      problems.push({ path: `outcomes[${i}].issue`, message: `问题 ${o.issue} 不在本次会议议题中` });
    } else if (seen.has(o.issue)) {
      problems.push({ path: `outcomes[${i}].issue`, message: `问题 ${o.issue} 只能有一个处理意见` });
    }
    seen.add(o.issue);
  });
  const missing = agenda.filter((a) => !seen.has(a));
  if (missing.length > 0) {
    problems.push({
      path: 'outcomes',
      message: `以下议题缺少处理意见（区域内解决或上报联席会议）：${missing.join('、')}`,
      missing,
    });
  }
  if (problems.length > 0) {
    throw Invalid(
      'invalid_zone_outcomes',
      `处理意见有误：${problems.map((p) => p.message).join('；')}`,
      problems,
    );
  }
  return {
    ...meeting,
    status: to,
    minutes: input.minutes,
    residentViews: input.residentViews ?? null,
    // In agenda order, whatever order they were sent in.
    outcomes: agenda.map((issue) => ({
      issue,
      outcome: input.outcomes.find((o) => o.issue === issue)!.outcome,
    })),
    minutesRecordedAt: toDate(now).toISOString(),
  };
}

/** The recorded outcome for one issue, once the minutes are recorded. */
export function zoneOutcomeOf(meeting: ZoneMeeting, issueId: string): ZoneOutcome | undefined {
  if (meeting.status !== 'minutes_recorded') return undefined;
  return meeting.outcomes.find((o) => o.issue === issueId)?.outcome;
}

/** What a zone meeting view may offer: its two steps, and taking an escalate outcome to the joint meeting. */
export const ZONE_MEETING_VIEW_ACTIONS = [...ZONE_MEETING_ACTIONS, 'escalate'] as const;
export type ZoneMeetingViewAction = (typeof ZONE_MEETING_VIEW_ACTIONS)[number];

/**
 * What the caller may do to a zone meeting now (its view's `allowedActions`): the zone's leader
 * (`leadsZoneMeetings`) takes the steps its status allows (ZONE_MEETING_TRANSITIONS), and once the
 * minutes are recorded takes the escalate outcomes on (as the owner of the zone's issues).
 */
export function zoneMeetingActions(
  zone: Pick<ZoneConfig, 'leader'> | undefined,
  meeting: Pick<ZoneMeeting, 'status' | 'at'>,
  actor: string | null,
  now: Date,
): ZoneMeetingViewAction[] {
  if (!zone || !leadsZoneMeetings(zone, actor)) return [];
  const begun = now.getTime() >= toDate(meeting.at).getTime();
  const out: ZoneMeetingViewAction[] = ZONE_MEETING_ACTIONS.filter(
    (a) => ZONE_MEETING_TRANSITIONS[a].from.includes(meeting.status) && (a !== 'record_attendance' || begun),
  );
  if (meeting.status === 'minutes_recorded') out.push('escalate');
  return out;
}

/** The zones whose meetings the caller may convene (the zone meetings list's `conveneZones`). */
export const conveneZones = (zones: Iterable<Pick<ZoneConfig, 'key' | 'leader'>>, actor: string | null) =>
  [...zones].filter((z) => leadsZoneMeetings(z, actor)).map((z) => z.key);
