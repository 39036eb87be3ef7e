import { z } from 'zod';
import { orgMembersOf } from '../community/lookup';
import { ORG_NAMES, Org } from '../community/schema';
import type { Community } from '../community/validate';
import { Conflict, type ErrorDetail, Forbidden, Invalid, NotFound } from '../errors';
import { CADENCE_MONTHS, DEFAULT_MEETING_CONFIG, JOINT_ORGS, JointOrg, type MeetingConfig } from './config';
import { ZoneResolutionRef } from './escalation';
import { Day, Instant, PersonKey, parseInput, requiredText } from './parse';
import { moreThanPercent, percentPair, reaches, thresholdSymbol } from './ratio';
import { addMonths, assertStarted, DEFAULT_TIMEZONE, dayOf, type InstantLike, toDate } from './time';

/**
 * The community joint meeting (社区联席会议, seed 001 §六): the four organisations meet monthly or
 * ad hoc, chaired by the Party secretary or a person they designate, and decide by individual
 * consultation → joint consultation → democratic vote (个别酝酿、共同协商、民主表决).
 *
 * Meeting: scheduled ─attendance→ held. Minutes: draft ─approved by the chair→ locked; nothing of
 * a locked meeting changes any more (409 minutes_locked). Item: pending ─vote→ voted ─resolution→
 * resolved, or pending ─defer→ deferred. Resolutions then live on as tracked actions (resolution.ts).
 */
export const JOINT_MEETING_KINDS = ['regular', 'ad_hoc'] as const;
export const JointMeetingKind = z.enum(
  JOINT_MEETING_KINDS,
  '会议类型应为 regular（例会）或 ad_hoc（临时会议）',
);
export type JointMeetingKind = z.infer<typeof JointMeetingKind>;
export const JOINT_MEETING_KIND_NAMES: Record<JointMeetingKind, string> = {
  regular: '联席会议例会',
  ad_hoc: '临时联席会议',
};

export const JOINT_MEETING_STATUSES = ['scheduled', 'held'] as const;
export const JointMeetingStatus = z.enum(JOINT_MEETING_STATUSES);
export type JointMeetingStatus = z.infer<typeof JointMeetingStatus>;
export const JOINT_MEETING_STATUS_NAMES: Record<JointMeetingStatus, string> = {
  scheduled: '已安排',
  held: '已召开',
};

export const MINUTES_STATUSES = ['draft', 'locked'] as const;
export const MinutesStatus = z.enum(MINUTES_STATUSES);
export type MinutesStatus = z.infer<typeof MinutesStatus>;
export const MINUTES_STATUS_NAMES: Record<MinutesStatus, string> = {
  draft: '草稿',
  locked: '已由主持人审定并锁定',
};

export const AGENDA_SOURCES = [
  'escalation',
  'referral',
  'secretary',
  'reconsideration',
  'annual_report',
  /** 每月一题: the month's topic picked from the most frequent complaints (topics/monthly-topic.ts). */
  'monthly_topic',
] as const;
export const AgendaSource = z.enum(AGENDA_SOURCES);
export type AgendaSource = z.infer<typeof AgendaSource>;
export const AGENDA_SOURCE_NAMES: Record<AgendaSource, string> = {
  escalation: '区域上报',
  referral: '受理时提交联席会议',
  secretary: '秘书列入',
  reconsideration: '申请复议',
  annual_report: '物业年度述职',
  monthly_topic: '每月一题',
};

export const AGENDA_ITEM_STATUSES = ['pending', 'voted', 'resolved', 'deferred'] as const;
export const AgendaItemStatus = z.enum(AGENDA_ITEM_STATUSES);
export type AgendaItemStatus = z.infer<typeof AgendaItemStatus>;
export const AGENDA_ITEM_STATUS_NAMES: Record<AgendaItemStatus, string> = {
  pending: '待审议',
  voted: '已表决',
  resolved: '已形成决议',
  deferred: '暂缓审议',
};

/** What happens to the item's issues once resolved: the lifecycle's decide_dispatch or decide_close. */
export const RESOLUTION_DISPOSITIONS = ['dispatch', 'close'] as const;
export const ResolutionDisposition = z.enum(
  RESOLUTION_DISPOSITIONS,
  '决议处理方式应为 dispatch（按决议派单办理）或 close（说明情况后关闭）',
);
export type ResolutionDisposition = z.infer<typeof ResolutionDisposition>;
export const RESOLUTION_DISPOSITION_NAMES: Record<ResolutionDisposition, string> = {
  dispatch: '按决议派单办理',
  close: '说明情况后关闭',
};

// The state below is plain JSON: services store it and parse it back with these schemas, and the
// API answers with them.

export const JointMember = z.object({ person: z.string(), org: JointOrg });
export type JointMember = z.infer<typeof JointMember>;

export const JointVote = z.object({
  for: z.number().int(),
  against: z.number().int(),
  abstain: z.number().int(),
  /** Members present when the vote was taken: the base of the pass rule. */
  present: z.number().int(),
  passed: z.boolean(),
  /** The arithmetic in Chinese, e.g. "赞成 7 票 / 出席 13 人 = 53.85%，需 > 1/2（50.00%）：通过…". */
  text: z.string(),
});
export type JointVote = z.infer<typeof JointVote>;

export const Milestone = z.object({ title: z.string(), dueDate: z.string().nullable() });
export type Milestone = z.infer<typeof Milestone>;

export const Resolution = z.object({
  text: z.string(),
  responsibleOrg: Org,
  responsiblePerson: z.string(),
  dueDate: z.string(),
  disposition: ResolutionDisposition,
  milestones: z.array(Milestone),
});
export type Resolution = z.infer<typeof Resolution>;

/** The link from a re-deliberation item to the resolution it reconsiders, which stays on record. */
export const ReconsiderationRef = z.object({
  meeting: z.string(),
  item: z.number().int(),
  resolution: z.string(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
});
export type ReconsiderationRef = z.infer<typeof ReconsiderationRef>;

/** An item before it is placed on a meeting's agenda. */
export const AgendaItemDraft = z.object({
  title: z.string(),
  source: AgendaSource,
  issues: z.array(z.string()),
  zoneResolution: ZoneResolutionRef.nullable(),
  reconsiders: ReconsiderationRef.nullable(),
  /** The item's briefing filled in by the product (the property manager's 述职 figures). */
  briefing: z.string().nullable().optional(),
});
export type AgendaItemDraft = z.infer<typeof AgendaItemDraft>;

export const JointAgendaItem = AgendaItemDraft.extend({
  /** 1-based and stable: resolutions are referred to as (meeting, no). */
  no: z.number().int(),
  status: AgendaItemStatus,
  consultation: z.object({ individual: z.string().nullable(), joint: z.string() }).nullable(),
  vote: JointVote.nullable(),
  resolution: Resolution.nullable(),
  deferReason: z.string().nullable(),
});
export type JointAgendaItem = z.infer<typeof JointAgendaItem>;

export const JointMeeting = z.object({
  id: z.string(),
  kind: JointMeetingKind,
  at: z.string(),
  place: z.string(),
  scheduledBy: z.string(),
  chair: z.string(),
  /** Set when the chair is not the Party secretary: who designated them. */
  chairDesignatedBy: z.string().nullable(),
  invitees: z.array(JointMember),
  status: JointMeetingStatus,
  present: z.array(z.string()),
  /** Others attending without a vote (其他有关人员), by name. */
  guests: z.array(z.string()),
  agenda: z.array(JointAgendaItem),
  minutes: z.object({
    status: MinutesStatus,
    text: z.string().nullable(),
    approvedBy: z.string().nullable(),
    approvedAt: z.string().nullable(),
  }),
});
export type JointMeeting = z.infer<typeof JointMeeting>;

const nameOf = (community: Community, person: string) => community.people.get(person)?.name ?? person;

/** The Party secretary (居民区党组织书记): the leadership group's leader chairs by default. */
export const partySecretaryOf = (community: Community) => community.config.leadershipGroup.leader;

/**
 * The joint meeting's members by default, each under one organisation: the leadership group for
 * the Party, and the zones' rc, oc and property members (the zone leaders are oc) plus the property
 * manager. Grid inspectors are not one of the four and are not members. A person in several orgs
 * counts once, under the first of party, rc, oc, property.
 */
export function jointMembersOf(community: Community): JointMember[] {
  const c = community.config;
  const members = new Map<string, JointOrg>();
  const add = (person: string, org: JointOrg) => {
    if (!members.has(person)) members.set(person, org);
  };
  for (const p of [c.leadershipGroup.leader, ...c.leadershipGroup.members]) add(p, 'party');
  for (const org of ['rc', 'oc', 'property'] as const) {
    for (const zone of c.zones) {
      if (zone.leader.org === org) add(zone.leader.person, org);
      for (const m of zone.members) if (m.org === org) add(m.person, org);
    }
    if (org === 'property' && c.propertyManager) add(c.propertyManager, 'property');
  }
  return [...members].map(([person, org]) => ({ person, org }));
}

/** The joint meeting's secretary (联席会议秘书) of the community. */
export const isJointSecretary = (community: Community, actor: string | null) =>
  actor !== null && !!community.config.secretary && actor === community.config.secretary;
/** The chair of this meeting. */
export const isJointChair = (meeting: Pick<JointMeeting, 'chair'>, actor: string | null) =>
  actor !== null && actor === meeting.chair;
/** Attendance, notes, resolutions and minutes are recorded by the secretary or the chair. */
export const isJointRecorder = (
  community: Community,
  meeting: Pick<JointMeeting, 'chair'>,
  actor: string | null,
) => isJointChair(meeting, actor) || isJointSecretary(community, actor);

function requireSecretary(community: Community, actor: string, what: string) {
  const secretary = community.config.secretary;
  if (!secretary) throw Forbidden('not_secretary', `本小区未设置联席会议秘书，无法${what}`);
  if (!isJointSecretary(community, actor))
    throw Forbidden('not_secretary', `只有联席会议秘书（${nameOf(community, secretary)}）才能${what}`);
}

/**
 * A chair other than the Party secretary acts only once the Party secretary has designated them
 * (designateJointChair); until then the meeting's chair is only proposed (409 chair_not_designated).
 */
export const chairDesignated = (
  community: Community,
  meeting: Pick<JointMeeting, 'chair' | 'chairDesignatedBy'>,
) =>
  meeting.chair === partySecretaryOf(community) || meeting.chairDesignatedBy === partySecretaryOf(community);

function assertChairDesignated(community: Community, meeting: JointMeeting) {
  if (!chairDesignated(community, meeting)) {
    const leader = partySecretaryOf(community);
    throw Conflict(
      'chair_not_designated',
      `${nameOf(community, meeting.chair)}主持会议须经党组织书记（${nameOf(community, leader)}）指定，请先由书记确认主持人`,
    );
  }
}

function requireChair(community: Community, meeting: JointMeeting, actor: string, what: string) {
  if (!isJointChair(meeting, actor)) {
    throw Forbidden('not_chair', `只有会议主持人（${nameOf(community, meeting.chair)}）才能${what}`);
  }
  assertChairDesignated(community, meeting);
}

/** Attendance, notes, resolutions and minutes are recorded by the secretary or the chair. */
function requireRecorder(community: Community, meeting: JointMeeting, actor: string, what: string) {
  if (!isJointRecorder(community, meeting, actor)) {
    throw Forbidden('not_meeting_recorder', `只有会议秘书或主持人才能${what}`);
  }
  if (actor !== community.config.secretary) assertChairDesignated(community, meeting);
}

export const DesignateChairInput = z.strictObject({ chair: PersonKey });
export type DesignateChairInput = z.input<typeof DesignateChairInput>;

/**
 * The Party secretary designates who chairs a scheduled meeting (themself again, or another
 * person); the designation is theirs alone (403 not_party_secretary) and is made before the meeting
 * is held (409 meeting_already_held).
 */
export function designateJointChair(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  raw: unknown,
): JointMeeting {
  const leader = partySecretaryOf(community);
  if (actor !== leader) {
    throw Forbidden('not_party_secretary', `主持人由党组织书记（${nameOf(community, leader)}）指定`);
  }
  assertMinutesOpen(meeting);
  if (meeting.status !== 'scheduled') {
    throw Conflict('meeting_already_held', '会议已经召开，不能再更换主持人');
  }
  const { chair } = parseInput(DesignateChairInput, raw, 'invalid_chair', '主持人有误');
  if (!community.people.has(chair)) {
    throw Invalid('unknown_person', `人员 "${chair}" 不存在`, [
      { path: 'chair', message: `人员 "${chair}" 不存在` },
    ]);
  }
  return { ...meeting, chair, chairDesignatedBy: chair === leader ? null : leader };
}

/** Every change to a meeting passes here first: locked minutes are the record. */
export function assertMinutesOpen(meeting: JointMeeting) {
  if (meeting.minutes.status === 'locked') {
    throw Conflict(
      'minutes_locked',
      `会议纪要${MINUTES_STATUS_NAMES.locked}，不能再修改；如情况变化，请申请复议`,
      [{ path: 'minutes.status', message: 'state=locked', state: 'locked' }],
    );
  }
}

function requireHeld(meeting: JointMeeting, what: string) {
  if (meeting.status !== 'held') {
    throw Conflict(
      'meeting_not_held',
      `会议当前状态为“${JOINT_MEETING_STATUS_NAMES[meeting.status]}”，请先登记出席情况再${what}`,
      [{ path: 'status', message: `state=${meeting.status}`, state: meeting.status }],
    );
  }
}

function itemOf(meeting: JointMeeting, no: number): JointAgendaItem {
  const item = meeting.agenda.find((i) => i.no === no);
  if (!item) throw NotFound('agenda_item_not_found', `本次会议没有第 ${no} 项议题`);
  return item;
}

const withItem = (meeting: JointMeeting, item: JointAgendaItem): JointMeeting => ({
  ...meeting,
  agenda: meeting.agenda.map((i) => (i.no === item.no ? item : i)),
});

function itemStateConflict(item: JointAgendaItem, what: string) {
  return Conflict(
    'agenda_item_state',
    `第 ${item.no} 项议题当前状态为“${AGENDA_ITEM_STATUS_NAMES[item.status]}”，不能${what}`,
    [{ path: `agenda[${item.no - 1}].status`, message: `state=${item.status}`, state: item.status }],
  );
}

export const ScheduleJointMeetingInput = z.strictObject({
  kind: JointMeetingKind.default('regular'),
  at: Instant,
  place: requiredText('请填写会议地点', 100),
  /** A proposed chair, to be designated by the Party secretary; the Party secretary when omitted. */
  chair: PersonKey.optional(),
  /** Who is invited under which organisation; the community's joint members when omitted. */
  invitees: z
    .array(z.strictObject({ person: PersonKey, org: JointOrg }))
    .min(1, '请至少邀请一名成员')
    .optional(),
});
export type ScheduleJointMeetingInput = z.input<typeof ScheduleJointMeetingInput>;

/**
 * The secretary schedules a joint meeting (403 otherwise), with the agenda collected so far
 * (escalations and re-deliberations waiting for the next meeting). The chair is the Party
 * secretary unless another is proposed, who chairs once the Party secretary designates them.
 */
export function scheduleJointMeeting(
  community: Community,
  actor: string,
  id: string,
  raw: unknown,
  agenda: readonly AgendaItemDraft[] = [],
): JointMeeting {
  requireSecretary(community, actor, '安排联席会议');
  const input = parseInput(ScheduleJointMeetingInput, raw, 'invalid_joint_meeting', '联席会议信息有误');
  const problems: ErrorDetail[] = [];
  const leader = partySecretaryOf(community);
  const chair = input.chair ?? leader;
  if (!community.people.has(chair)) {
    problems.push({ path: 'chair', message: `人员 "${chair}" 不存在` });
  }
  const invitees = input.invitees ?? jointMembersOf(community);
  invitees.forEach((m, i) => {
    if (!community.people.has(m.person)) {
      problems.push({ path: `invitees[${i}].person`, message: `人员 "${m.person}" 不存在` });
    } else if (invitees.findIndex((x) => x.person === m.person) !== i) {
      problems.push({ path: `invitees[${i}].person`, message: `${nameOf(community, m.person)} 重复邀请` });
    }
  });
  if (problems.length > 0) {
    throw Invalid(
      'invalid_joint_meeting',
      `联席会议信息有误：${problems.map((p) => p.message).join('；')}`,
      problems,
    );
  }
  let meeting: JointMeeting = {
    id,
    kind: input.kind,
    at: toDate(input.at).toISOString(),
    place: input.place,
    scheduledBy: actor,
    chair,
    // Proposed only: another chair acts once the Party secretary designates them.
    chairDesignatedBy: null,
    invitees,
    status: 'scheduled',
    present: [],
    guests: [],
    agenda: [],
    minutes: { status: 'draft', text: null, approvedBy: null, approvedAt: null },
  };
  for (const draft of agenda) meeting = addJointAgendaItem(meeting, draft);
  return meeting;
}

/** The agenda item an escalated issue becomes, carrying its zone resolution. */
export function escalationAgendaItem(zoneResolution: ZoneResolutionRef, title: string): AgendaItemDraft {
  return { title, source: 'escalation', issues: [zoneResolution.issue], zoneResolution, reconsiders: null };
}

export const SecretaryAgendaItemInput = z.strictObject({
  title: requiredText('请填写议题', 200),
  issues: z.array(z.string().min(1)).default([]),
});

/**
 * An issue routing sends to the joint meeting at intake (several organisations, a community-wide
 * matter) goes on its waiting agenda at once, as an escalation does (docs/domain.md §5).
 */
export function referralAgendaItem(issueId: string, title: string): AgendaItemDraft {
  return { title, source: 'referral', issues: [issueId], zoneResolution: null, reconsiders: null };
}

/** The secretary puts an item on the agenda themself (403 for anyone else). */
export function secretaryAgendaItem(community: Community, actor: string, raw: unknown): AgendaItemDraft {
  requireSecretary(community, actor, '列入联席会议议题');
  const input = parseInput(SecretaryAgendaItemInput, raw, 'invalid_agenda_item', '议题有误');
  return {
    title: input.title,
    source: 'secretary',
    issues: input.issues,
    zoneResolution: null,
    reconsiders: null,
  };
}

/** A deferred item, to put on a later meeting's agenda. */
export const carryOverItem = (item: JointAgendaItem): AgendaItemDraft => ({
  title: item.title,
  source: item.source,
  issues: item.issues,
  zoneResolution: item.zoneResolution,
  reconsiders: item.reconsiders,
});

/**
 * Put an item on a meeting's agenda (no permission of its own: who made the draft was checked).
 * Refused once the minutes are locked, and for an issue already waiting on this agenda.
 */
export function addJointAgendaItem(meeting: JointMeeting, draft: AgendaItemDraft): JointMeeting {
  assertMinutesOpen(meeting);
  const waiting = meeting.agenda.filter((i) => i.status === 'pending');
  const clash = draft.issues.find((issue) => waiting.some((i) => i.issues.includes(issue)));
  if (clash) {
    const no = waiting.find((i) => i.issues.includes(clash))!.no;
    throw Conflict('issue_already_on_agenda', `问题 ${clash} 已在本次会议第 ${no} 项议题中`);
  }
  const no = meeting.agenda.reduce((max, i) => Math.max(max, i.no), 0) + 1;
  const item: JointAgendaItem = {
    ...draft,
    no,
    status: 'pending',
    consultation: null,
    vote: null,
    resolution: null,
    deferReason: null,
  };
  return { ...meeting, agenda: [...meeting.agenda, item] };
}

/** The meeting new items go to: the earliest one not yet held, at or after `now`. */
export function nextJointMeeting(
  meetings: readonly JointMeeting[],
  now: InstantLike,
): JointMeeting | undefined {
  const t = toDate(now).getTime();
  return meetings
    .filter((m) => m.status === 'scheduled' && m.minutes.status === 'draft' && new Date(m.at).getTime() >= t)
    .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime())[0];
}

/** When the next regular meeting falls by the configured cadence (monthly by default). */
export function suggestNextRegularMeeting(
  lastRegularAt: InstantLike,
  config: MeetingConfig = DEFAULT_MEETING_CONFIG,
  tz = DEFAULT_TIMEZONE,
): Date {
  return addMonths(lastRegularAt, CADENCE_MONTHS[config.jointMeeting.cadence], tz);
}

export const JointAttendanceInput = z.strictObject({
  present: z.array(PersonKey, '请填写出席人员').min(1, '请至少登记一名出席人员'),
  guests: z.array(requiredText('请填写列席人员姓名', 50)).max(50).default([]),
});
export type JointAttendanceInput = z.input<typeof JointAttendanceInput>;

/** Attendance may be corrected until the first vote (the quorum of a vote is its attendance). */
export const attendanceOpen = (meeting: Pick<JointMeeting, 'agenda'>) => !meeting.agenda.some((i) => i.vote);

/** Items that keep the minutes from being approved: not voted on (nor deferred), or passed without a resolution. */
export const undecidedItems = (meeting: Pick<JointMeeting, 'agenda'>) =>
  meeting.agenda.filter((i) => i.status === 'pending' || (i.status === 'voted' && i.vote?.passed === true));

/**
 * The secretary or chair records who of the invited members is present (400 naming
 * `present[i]` for anyone not invited); the meeting is then held. Not before the meeting's time
 * (409 meeting_not_started); frozen once a vote is recorded: the votes were counted against this
 * attendance.
 */
export function recordJointAttendance(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  raw: unknown,
  now: Date,
): JointMeeting {
  requireRecorder(community, meeting, actor, '登记联席会议出席情况');
  assertMinutesOpen(meeting);
  assertStarted(meeting.at, now, community.config.timezone);
  if (!attendanceOpen(meeting)) {
    throw Conflict('votes_already_recorded', '已有议题完成表决，出席情况不能再修改');
  }
  const input = parseInput(JointAttendanceInput, raw, 'invalid_attendance', '出席登记有误');
  const problems: ErrorDetail[] = [];
  input.present.forEach((p, i) => {
    if (!meeting.invitees.some((m) => m.person === p)) {
      problems.push({ path: `present[${i}]`, message: `${nameOf(community, p)} 不是本次联席会议的成员` });
    } else if (input.present.indexOf(p) !== i) {
      problems.push({ path: `present[${i}]`, message: `${nameOf(community, p)} 重复登记` });
    }
  });
  if (problems.length > 0) {
    throw Invalid(
      'attendee_not_invited',
      `出席登记有误：${problems.map((p) => p.message).join('；')}`,
      problems,
    );
  }
  return { ...meeting, status: 'held', present: input.present, guests: input.guests };
}

export interface QuorumResult {
  met: boolean;
  invited: number;
  present: number;
  byOrg: { org: JointOrg; orgName: string; invited: number; present: number; required: boolean }[];
  /** Required organisations with nobody present. */
  missingOrgs: JointOrg[];
  /** The arithmetic in Chinese, one line per rule. */
  text: string[];
}

/** Whether the members present make a quorum, by the community's rule (config.ts explains the default). */
export function checkQuorum(
  meeting: JointMeeting,
  config: MeetingConfig = DEFAULT_MEETING_CONFIG,
): QuorumResult {
  const q = config.jointMeeting.quorum;
  const presentSet = new Set(meeting.present);
  const byOrg = JOINT_ORGS.map((org) => {
    const of = meeting.invitees.filter((m) => m.org === org);
    return {
      org,
      orgName: ORG_NAMES[org],
      invited: of.length,
      present: of.filter((m) => presentSet.has(m.person)).length,
      required: q.requiredOrgs.includes(org),
    };
  });
  const missingOrgs = byOrg.filter((o) => o.required && o.present === 0).map((o) => o.org);
  const invited = meeting.invitees.length;
  const present = meeting.invitees.filter((m) => presentSet.has(m.person)).length;
  const t = moreThanPercent(q.presentOverPercent);
  const enough = reaches(present, invited, t);
  const p = percentPair(present, invited, t, enough);
  const text = [
    `出席 ${present} 人 / 应到 ${invited} 人 = ${p.value}，需 ${thresholdSymbol(t)}（${p.threshold}）：${enough ? '达到' : '未达到'}`,
    `各单位出席：${byOrg.map((o) => `${o.orgName} ${o.present}/${o.invited} 人`).join('，')}` +
      (missingOrgs.length > 0
        ? `；无人出席的成员单位：${missingOrgs.map((o) => ORG_NAMES[o]).join('、')}：未达到`
        : q.requiredOrgs.length > 0
          ? '；各成员单位均有人出席：达到'
          : ''),
  ];
  return { met: enough && missingOrgs.length === 0, invited, present, byOrg, missingOrgs, text };
}

export const ConsultationInput = z.strictObject({
  /** 个别酝酿: what was heard from members one by one before the meeting. */
  individual: z.string().trim().max(5000, '最多 5000 字').optional(),
  /** 共同协商: the discussion at the meeting. */
  joint: requiredText('请填写共同协商情况', 5000),
});

/** The secretary or chair records the consultation on an item; required before its vote. */
export function recordConsultation(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  itemNo: number,
  raw: unknown,
): JointMeeting {
  requireRecorder(community, meeting, actor, '记录协商情况');
  assertMinutesOpen(meeting);
  requireHeld(meeting, '记录协商情况');
  const item = itemOf(meeting, itemNo);
  if (item.status === 'deferred') throw itemStateConflict(item, '记录协商情况');
  const input = parseInput(ConsultationInput, raw, 'invalid_consultation', '协商情况有误');
  return withItem(meeting, {
    ...item,
    consultation: { individual: input.individual ?? null, joint: input.joint },
  });
}

const VoteCount = (what: string) =>
  z.number(`${what}票数应为整数`).int(`${what}票数应为整数`).nonnegative(`${what}票数不能为负数`);

export const JointVoteInput = z.strictObject({
  votes: z.strictObject({ for: VoteCount('赞成'), against: VoteCount('反对'), abstain: VoteCount('弃权') }),
});
export type JointVoteInput = z.input<typeof JointVoteInput>;

/**
 * The chair records the vote on an item (民主表决). Needs the consultation recorded and a quorum
 * (409), non-negative integers that add up to no more than the members present (400
 * votes_exceed_present). Passes when votes for exceed the configured share of those PRESENT.
 * A vote may be corrected until the item has its resolution.
 */
export function recordJointVote(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  itemNo: number,
  raw: unknown,
  config: MeetingConfig = DEFAULT_MEETING_CONFIG,
): JointMeeting {
  requireChair(community, meeting, actor, '记录表决结果');
  assertMinutesOpen(meeting);
  requireHeld(meeting, '表决');
  const item = itemOf(meeting, itemNo);
  if (item.status !== 'pending' && item.status !== 'voted') throw itemStateConflict(item, '表决');
  if (!item.consultation) {
    throw Conflict(
      'consultation_required',
      `第 ${item.no} 项议题尚未记录协商情况：联席会议按“个别酝酿、共同协商、民主表决”的程序议事，请先记录协商情况`,
    );
  }
  const quorum = checkQuorum(meeting, config);
  if (!quorum.met) {
    throw Conflict('quorum_not_met', `出席人数不足，不能表决：${quorum.text.join('；')}`, [
      { path: 'present', message: quorum.text.join('；'), missingOrgs: quorum.missingOrgs },
    ]);
  }
  const { votes } = parseInput(JointVoteInput, raw, 'invalid_votes', '表决票数有误');
  const present = meeting.present.length;
  const cast = votes.for + votes.against + votes.abstain;
  if (cast > present) {
    const message = `赞成 ${votes.for} + 反对 ${votes.against} + 弃权 ${votes.abstain} = ${cast} 票，超过出席人数 ${present} 人`;
    throw Invalid('votes_exceed_present', `表决票数有误：${message}`, [
      { path: 'votes', message, cast, present },
    ]);
  }
  const t = moreThanPercent(config.jointMeeting.passOverPercentOfPresent);
  const passed = reaches(votes.for, present, t);
  const p = percentPair(votes.for, present, t, passed);
  const vote: JointVote = {
    ...votes,
    present,
    passed,
    text: `赞成 ${votes.for} 票 / 出席 ${present} 人 = ${p.value}，需 ${thresholdSymbol(t)}（${p.threshold}）：${passed ? '通过' : '未通过'}（反对 ${votes.against} 票，弃权 ${votes.abstain} 票）`,
  };
  return withItem(meeting, { ...item, status: 'voted', vote });
}

export const ResolutionInput = z.strictObject({
  text: requiredText('请填写决议内容', 5000),
  responsibleOrg: Org,
  responsiblePerson: PersonKey,
  dueDate: Day,
  disposition: ResolutionDisposition.default('dispatch'),
  milestones: z
    .array(z.strictObject({ title: requiredText('请填写节点名称', 100), dueDate: Day.optional() }))
    .max(20, '最多 20 个进度节点')
    .default([]),
});
export type ResolutionInput = z.input<typeof ResolutionInput>;

/**
 * The secretary or chair records the resolution of a passed item: text, responsible organisation
 * and person, due date (not before the meeting), what happens to its issues, and milestones.
 */
export function recordResolution(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  itemNo: number,
  raw: unknown,
): JointMeeting {
  requireRecorder(community, meeting, actor, '记录决议');
  assertMinutesOpen(meeting);
  const item = itemOf(meeting, itemNo);
  // One resolution per item: a second would be a second tracked action for the same decision (a
  // change of facts is a re-deliberation on a later agenda, which supersedes this one).
  if (item.status === 'resolved' || item.status === 'deferred') throw itemStateConflict(item, '形成决议');
  if (!item.vote) {
    throw Conflict('vote_required', `第 ${item.no} 项议题尚未表决，不能形成决议`);
  }
  if (!item.vote.passed) {
    throw Conflict('item_not_passed', `第 ${item.no} 项议题表决未通过，不能形成决议：${item.vote.text}`);
  }
  const input = parseInput(ResolutionInput, raw, 'invalid_resolution', '决议有误');
  const problems: (ErrorDetail & { code: string })[] = [];
  if (!community.people.has(input.responsiblePerson)) {
    problems.push({
      code: 'unknown_person',
      path: 'responsiblePerson',
      message: `人员 "${input.responsiblePerson}" 不存在`,
    });
  } else if (!orgMembersOf(community, input.responsibleOrg).includes(input.responsiblePerson)) {
    problems.push({
      code: 'person_not_in_org',
      path: 'responsiblePerson',
      message: `${nameOf(community, input.responsiblePerson)} 不是${ORG_NAMES[input.responsibleOrg]}的人员，不能作为该组织的责任人`,
    });
  }
  const meetingDay = dayOf(meeting.at, community.config.timezone);
  // ISO dates compare as text.
  if (input.dueDate < meetingDay) {
    problems.push({
      code: 'due_before_meeting',
      path: 'dueDate',
      message: `完成期限 ${input.dueDate} 早于会议日期 ${meetingDay}`,
    });
  }
  input.milestones.forEach((m, i) => {
    if (m.dueDate !== undefined && m.dueDate < meetingDay) {
      problems.push({
        code: 'due_before_meeting',
        path: `milestones[${i}].dueDate`,
        message: `节点日期 ${m.dueDate} 早于会议日期 ${meetingDay}`,
      });
    }
  });
  if (problems.length > 0) {
    throw Invalid(problems[0]!.code, `决议有误：${problems.map((p) => p.message).join('；')}`, problems);
  }
  const resolution: Resolution = {
    text: input.text,
    responsibleOrg: input.responsibleOrg,
    responsiblePerson: input.responsiblePerson,
    dueDate: input.dueDate,
    disposition: input.disposition,
    milestones: input.milestones.map((m) => ({ title: m.title, dueDate: m.dueDate ?? null })),
  };
  return withItem(meeting, { ...item, status: 'resolved', resolution });
}

/** The chair defers a pending item (with a reason); carryOverItem puts it on a later agenda. */
export function deferJointItem(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  itemNo: number,
  raw: unknown,
): JointMeeting {
  requireChair(community, meeting, actor, '暂缓审议议题');
  assertMinutesOpen(meeting);
  const item = itemOf(meeting, itemNo);
  if (item.status !== 'pending') throw itemStateConflict(item, '暂缓审议');
  const { reason } = parseInput(
    z.strictObject({ reason: requiredText('请填写暂缓审议的原因', 1000) }),
    raw,
    'reason_required',
    '暂缓审议需要填写原因',
  );
  return withItem(meeting, { ...item, status: 'deferred', deferReason: reason });
}

/** The secretary or chair writes the minutes' text while they are a draft. */
export function editJointMinutes(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  raw: unknown,
): JointMeeting {
  requireRecorder(community, meeting, actor, '编辑会议纪要');
  assertMinutesOpen(meeting);
  const { text } = parseInput(
    z.strictObject({ text: requiredText('请填写会议纪要', 20000) }),
    raw,
    'invalid_minutes',
    '会议纪要有误',
  );
  return { ...meeting, minutes: { ...meeting.minutes, text } };
}

/**
 * The chair approves the minutes, which locks them. Needs a held meeting, the minutes' text, and
 * every item settled: voted and, if passed, resolved; or deferred (409 listing the open items).
 */
export function approveJointMinutes(
  community: Community,
  meeting: JointMeeting,
  actor: string,
  now: InstantLike,
): JointMeeting {
  requireChair(community, meeting, actor, '审定会议纪要');
  assertMinutesOpen(meeting);
  requireHeld(meeting, '审定纪要');
  if (!meeting.minutes.text) throw Conflict('minutes_empty', '会议纪要尚未填写，不能审定');
  const open = undecidedItems(meeting);
  if (open.length > 0) {
    throw Conflict(
      'agenda_items_open',
      `以下议题尚未办结，不能审定纪要：${open
        .map(
          (i) =>
            `第 ${i.no} 项“${i.title}”${i.status === 'pending' ? '未表决（或暂缓）' : '已通过但未记录决议'}`,
        )
        .join('；')}`,
      open.map((i) => ({
        path: `agenda[${i.no - 1}]`,
        message: AGENDA_ITEM_STATUS_NAMES[i.status],
        item: i.no,
      })),
    );
  }
  return {
    ...meeting,
    minutes: {
      ...meeting.minutes,
      status: 'locked',
      approvedBy: actor,
      approvedAt: toDate(now).toISOString(),
    },
  };
}

export const JOINT_MEETING_ACTIONS = [
  'designate_chair',
  'record_attendance',
  'edit_minutes',
  'approve_minutes',
] as const;
export type JointMeetingAction = (typeof JOINT_MEETING_ACTIONS)[number];
export const AGENDA_ITEM_ACTIONS = ['consult', 'vote', 'resolve', 'defer'] as const;
export type AgendaItemAction = (typeof AGENDA_ITEM_ACTIONS)[number];

/** The chair, once designated (a proposed chair does not act as chair yet: chairDesignated). */
const actsAsChair = (community: Community, meeting: JointMeeting, actor: string | null) =>
  isJointChair(meeting, actor) && chairDesignated(community, meeting);

/**
 * What the caller (a person key, or null) may do to a joint meeting at `now` (its view's
 * `allowedActions`), by the checks the steps run: the Party secretary designates the chair of a
 * scheduled meeting (designateJointChair); recorder or designated chair (`isJointRecorder`,
 * `chairDesignated`), minutes not locked (`assertMinutesOpen`), attendance once the meeting has begun
 * and before the first vote (`assertStarted`, `attendanceOpen`), approval of a held meeting with
 * every item decided (`undecidedItems`). The minutes' text is an input the approval still needs.
 */
export function jointMeetingActions(
  community: Community,
  meeting: JointMeeting,
  actor: string | null,
  now: Date,
): JointMeetingAction[] {
  if (meeting.minutes.status === 'locked') return [];
  const out: JointMeetingAction[] = [];
  if (actor !== null && actor === partySecretaryOf(community) && meeting.status === 'scheduled')
    out.push('designate_chair');
  const chair = actsAsChair(community, meeting, actor);
  const recorder = chair || isJointSecretary(community, actor);
  const begun = now.getTime() >= toDate(meeting.at).getTime();
  if (recorder && begun && attendanceOpen(meeting)) out.push('record_attendance');
  if (recorder) out.push('edit_minutes');
  if (chair && meeting.status === 'held' && undecidedItems(meeting).length === 0) out.push('approve_minutes');
  return out;
}

/**
 * What the caller may do to one agenda item now: note the consultation (recorder) and defer (chair)
 * a pending item, vote on a consulted pending one (chair), record the resolution of a passed vote
 * not yet resolved (recorder) — in a held meeting whose minutes are still a draft, the chair acting
 * once designated. Each is a step its function (recordConsultation, recordJointVote,
 * recordResolution, deferJointItem) allows.
 */
export function agendaItemActions(
  community: Community,
  meeting: JointMeeting,
  item: JointAgendaItem,
  actor: string | null,
): AgendaItemAction[] {
  if (meeting.minutes.status !== 'draft' || meeting.status !== 'held') return [];
  const chair = actsAsChair(community, meeting, actor);
  const recorder = chair || isJointSecretary(community, actor);
  const out: AgendaItemAction[] = [];
  if (recorder && item.status === 'pending') out.push('consult');
  if (chair && item.status === 'pending' && item.consultation) out.push('vote');
  if (recorder && item.status === 'voted' && item.vote?.passed && !item.resolution) out.push('resolve');
  if (chair && item.status === 'pending') out.push('defer');
  return out;
}

export const JOINT_LIST_ACTIONS = ['schedule', 'add_item'] as const;
export type JointListAction = (typeof JOINT_LIST_ACTIONS)[number];

/** What the joint meetings list offers: arranging a meeting and listing an item — the secretary's. */
export const jointListActions = (community: Community, actor: string | null): JointListAction[] =>
  isJointSecretary(community, actor) ? ['schedule', 'add_item'] : [];
