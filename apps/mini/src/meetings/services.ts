import {
  AgendaPlacementView,
  IssueDetail,
  JointMeetingPage,
  JointMeetingView,
  OwnersAssemblyList,
  type PublicCommunity,
  ResolutionPage,
  ResolutionView,
  WaitingAgenda,
  ZoneMeetingPage,
  ZoneMeetingView,
  type ZoneOutcome,
} from '@gongzhi/domain';
import { api, newIdempotencyKey } from '../services/http';

const q = (params: Record<string, string | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&');

const post = <S extends Parameters<typeof api>[0]>(schema: S, path: string, data: unknown = {}) =>
  api(schema, path, { method: 'POST', data, auth: true });

// ── zone meetings ──
export const listZoneMeetings = (community: string, zone?: string) =>
  api(ZoneMeetingPage, `/api/zone-meetings?${q({ community, zone, limit: '50' })}`, { auth: true });
export const getZoneMeeting = (id: string) =>
  api(ZoneMeetingView, `/api/zone-meetings/${id}`, { auth: true });
export const conveneZoneMeeting = (body: {
  community: string;
  zone: string;
  at: string;
  place: string;
  agenda: string[];
}) =>
  api(ZoneMeetingView, '/api/zone-meetings', {
    method: 'POST',
    data: body,
    auth: true,
    headers: { 'idempotency-key': newIdempotencyKey() },
  });
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
  api(JointMeetingPage, `/api/joint-meetings?${q({ community, limit: '50' })}`, { auth: true });
export const getJointMeeting = (id: string) =>
  api(JointMeetingView, `/api/joint-meetings/${id}`, { auth: true });
export const scheduleJointMeeting = (body: {
  community: string;
  kind: 'regular' | 'ad_hoc';
  at: string;
  place: string;
}) =>
  api(JointMeetingView, '/api/joint-meetings', {
    method: 'POST',
    data: body,
    auth: true,
    headers: { 'idempotency-key': newIdempotencyKey() },
  });
export const listWaitingAgenda = (community: string) =>
  api(WaitingAgenda, `/api/joint-agenda?${q({ community })}`, { auth: true });
export const addAgendaItem = (community: string, title: string, meeting?: string) =>
  post(AgendaPlacementView, '/api/joint-agenda', { community, title, ...(meeting ? { meeting } : {}) });

const step = (id: string, path: string, data: unknown = {}, method: 'POST' | 'PUT' = 'POST') =>
  api(JointMeetingView, `/api/joint-meetings/${id}${path}`, {
    method,
    data,
    auth: true,
  });
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
    `/api/resolutions?${q({ community, open: open === undefined ? undefined : String(open), limit: '50' })}`,
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
