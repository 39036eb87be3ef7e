import {
  AgendaPlacementView,
  FundUseView,
  IssueDetail,
  JointMeetingPage,
  JointMeetingView,
  NoticeView,
  type OwnersAssemblyBody,
  OwnersAssemblyList,
  OwnersAssemblyView,
  type PublicCommunity,
  ResolutionPage,
  ResolutionView,
  WaitingAgenda,
  ZoneMeetingPage,
  ZoneMeetingView,
  type ZoneOutcome,
} from '@gongzhi/domain';
import { api, query } from '../services/http';

const post = <S extends Parameters<typeof api>[0]>(schema: S, path: string, data: unknown = {}) =>
  api(schema, path, { method: 'POST', data, auth: true });

// ── zone meetings ──
export const listZoneMeetings = (community: string, zone?: string) =>
  api(ZoneMeetingPage, `/api/zone-meetings${query({ community, zone, limit: '50' })}`, { auth: true });
export const getZoneMeeting = (id: string) =>
  api(ZoneMeetingView, `/api/zone-meetings/${id}`, { auth: true });
export const conveneZoneMeeting = (
  body: {
    community: string;
    zone: string;
    at: string;
    place: string;
    agenda: string[];
  },
  idempotencyKey: string,
) => api(ZoneMeetingView, '/api/zone-meetings', { method: 'POST', data: body, auth: true, idempotencyKey });
export const recordZoneAttendance = (id: string, attendees: string[]) =>
  post(ZoneMeetingView, `/api/zone-meetings/${id}/attendance`, { attendees });
export const recordZoneMinutes = (
  id: string,
  body: {
    minutes: string;
    residentViews?: string;
    outcomes: { issue: string; outcome: ZoneOutcome }[];
  },
) => post(ZoneMeetingView, `/api/zone-meetings/${id}/minutes`, body);
export const escalateIssue = (issueId: string, zoneMeeting?: string) =>
  post(IssueDetail, `/api/issues/${issueId}/escalate`, zoneMeeting ? { zoneMeeting } : {});

// ── joint meetings ──
export const listJointMeetings = (community: string) =>
  api(JointMeetingPage, `/api/joint-meetings${query({ community, limit: '50' })}`, { auth: true });
export const getJointMeeting = (id: string) =>
  api(JointMeetingView, `/api/joint-meetings/${id}`, { auth: true });
export const scheduleJointMeeting = (
  body: {
    community: string;
    kind: 'regular' | 'ad_hoc';
    at: string;
    place: string;
  },
  idempotencyKey: string,
) => api(JointMeetingView, '/api/joint-meetings', { method: 'POST', data: body, auth: true, idempotencyKey });
export const listWaitingAgenda = (community: string) =>
  api(WaitingAgenda, `/api/joint-agenda${query({ community })}`, { auth: true });
/** A topic of the secretary's, carrying issues that wait for the joint meeting (none, or several). */
export const addAgendaItem = (
  body: { community: string; title: string; issues: string[]; meeting?: string },
  idempotencyKey: string,
) =>
  api(AgendaPlacementView, '/api/joint-agenda', { method: 'POST', data: body, auth: true, idempotencyKey });

const step = (id: string, path: string, data: unknown = {}, method: 'POST' | 'PUT' = 'POST') =>
  api(JointMeetingView, `/api/joint-meetings/${id}${path}`, {
    method,
    data,
    auth: true,
  });
/** The Party secretary designates who chairs a scheduled meeting. */
export const designateChair = (id: string, chair: string) => step(id, '/chair', { chair });
export const recordJointAttendance = (id: string, present: string[], guests: string[]) =>
  step(id, '/attendance', { present, guests });
export const recordConsultation = (id: string, no: number, joint: string, individual?: string) =>
  step(id, `/items/${no}/consultation`, { joint, ...(individual ? { individual } : {}) });
export const recordVote = (
  id: string,
  no: number,
  votes: { for: number; against: number; abstain: number },
) => step(id, `/items/${no}/vote`, { votes });
export const deferItem = (id: string, no: number, reason: string) =>
  step(id, `/items/${no}/defer`, { reason });
export const editMinutes = (id: string, text: string) => step(id, '/minutes', { text }, 'PUT');
export const approveMinutes = (id: string) => step(id, '/minutes/approve');
export const recordResolution = (
  id: string,
  no: number,
  body: {
    text: string;
    responsibleOrg: string;
    responsiblePerson: string;
    dueDate: string;
    disposition: 'dispatch' | 'close';
    milestones: { title: string; dueDate?: string }[];
  },
) => post(ResolutionView, `/api/joint-meetings/${id}/items/${no}/resolution`, body);

// ── resolutions ──
export const listResolutions = (community: string, open?: boolean) =>
  api(
    ResolutionPage,
    `/api/resolutions${query({ community, open: open === undefined ? undefined : String(open), limit: '50' })}`,
    { auth: true },
  );
export const getResolution = (id: string) => api(ResolutionView, `/api/resolutions/${id}`, { auth: true });
export const recordProgress = (id: string, body: { progress: number; note?: string; milestone?: string }) =>
  post(ResolutionView, `/api/resolutions/${id}/progress`, body);
export const requestReconsideration = (id: string, reason: string) =>
  post(AgendaPlacementView, `/api/resolutions/${id}/reconsideration`, { reason });

// ── owners' assembly ──
export const listOwnersAssemblies = (issueId: string) =>
  api(OwnersAssemblyList, `/api/issues/${issueId}/owners-assembly`, { auth: true });
/** The 业委会 enters one assembly's result (totals), once; a retry with the same key is the same entry. */
export const recordOwnersAssembly = (issueId: string, body: OwnersAssemblyBody, idempotencyKey: string) =>
  api(OwnersAssemblyView, `/api/issues/${issueId}/owners-assembly`, {
    method: 'POST',
    data: body,
    auth: true,
    idempotencyKey,
  });
export const reportFundUseToOc = (issueId: string, note?: string) =>
  post(FundUseView, `/api/issues/${issueId}/fund-use/oc-report`, { note });
export const acknowledgeFundOcReport = (issueId: string, note?: string) =>
  post(FundUseView, `/api/issues/${issueId}/fund-use/oc-report/acknowledge`, { note });
/** A draft 维修资金公示 generated from the issue; it is approved and published on the notices pages. */
export const draftFundNotice = (community: string, issueId: string, idempotencyKey: string) =>
  api(NoticeView, '/api/notices', {
    method: 'POST',
    data: { community, source: { kind: 'fund_notice', issue: issueId } },
    auth: true,
    idempotencyKey,
  });

// ── helpers ──
/** Names of the people the public roster knows (zone leaders and members); the key otherwise. */
export function nameBook(c: PublicCommunity | null) {
  const names = new Map<string, string>();
  for (const z of c?.zones ?? []) {
    names.set(z.leader.key, z.leader.name);
    for (const m of z.members) names.set(m.key, m.name);
  }
  return (key: string) => names.get(key) ?? key;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Today + days in China time, as "YYYY-MM-DD". */
export function chinaDay(days = 0) {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
/** "2026-11-25" + "19:00" → an instant with China's offset. */
export const chinaInstant = (day: string, time: string) => `${day}T${time}:00+08:00`;
