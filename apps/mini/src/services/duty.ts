import {
  DutyFeedView,
  type DutyLogInput,
  type DutyLogIssueInput,
  DutyLogPage,
  DutyLogView,
  DutyPreferencesView,
  GenerateDutyResult,
  IssueDetail,
  MyShiftsView,
  OnDutyNowView,
  type RequestSwapInput,
  RotaView,
  ShiftView,
  SwapList,
  SwapView,
} from '@gongzhi/domain';
import { api, query, url } from './http';

const c = (key: string) => encodeURIComponent(key);

/** Public: who is on duty at this moment (no login). */
export const dutyNow = (community: string) =>
  api(OnDutyNowView, `/api/communities/${c(community)}/duty/now`, { auth: false });

export const myShifts = () => api(MyShiftsView, '/api/me/shifts', { auth: true });

export const rota = (community: string, from: string, to: string) =>
  api(RotaView, `/api/communities/${c(community)}/duty${query({ from, to })}`, { auth: true });

/** Rota managers: generate [from, to] as a draft (months not planned yet stay unpublished). */
export const generateRota = (community: string, from: string, to: string) =>
  api(GenerateDutyResult, `/api/communities/${c(community)}/duty/generate`, {
    method: 'POST',
    data: { from, to, draft: true },
    auth: true,
  });

/** Rota managers: publish a draft month; `acceptGaps` confirms publishing with places unfilled. */
export const publishRota = (community: string, month: string, acceptGaps: boolean) =>
  api(RotaView, `/api/communities/${c(community)}/duty/publish`, {
    method: 'POST',
    data: { month, acceptGaps },
    auth: true,
  });

/** Rota managers: put another person on one shift, with a reason. */
export const overrideShift = (id: string, person: string, reason: string) =>
  api(ShiftView, `/api/duty/shifts/${id}`, { method: 'PUT', data: { person, reason }, auth: true });

export const myDutyFeed = () => api(DutyFeedView, '/api/me/duty-feed', { auth: true });
export const resetDutyFeed = () =>
  api(DutyFeedView, '/api/me/duty-feed/reset', { method: 'POST', data: {}, auth: true });
export const dutyPreferences = () => api(DutyPreferencesView, '/api/me/duty-preferences', { auth: true });
export const setDutyPreferences = (showContact: boolean, phone: string | null) =>
  api(DutyPreferencesView, '/api/me/duty-preferences', {
    method: 'PUT',
    data: { showContact, ...(phone ? { phone } : {}) },
    auth: true,
  });

/** The printable month notice, opened with the person's feed token (no login in a browser). */
export const printRotaUrl = (community: string, month: string, token: string) =>
  url(`/api/communities/${c(community)}/duty/print${query({ month, feed: token })}`);

export const listSwaps = (status: 'requested' | 'all') =>
  api(SwapList, `/api/duty/swaps${query({ status })}`, { auth: true });

export const requestSwap = (input: RequestSwapInput, idempotencyKey: string) =>
  api(SwapView, '/api/duty/swaps', { method: 'POST', data: input, idempotencyKey, auth: true });

export const answerSwap = (id: string, action: 'accept' | 'decline' | 'cancel') =>
  api(SwapView, `/api/duty/swaps/${id}/${action}`, { method: 'POST', data: {}, auth: true });

export const dutyLog = (community: string, cursor?: string) =>
  api(DutyLogPage, `/api/communities/${c(community)}/duty/log${query({ cursor })}`, { auth: true });

export const recordDutyLog = (input: DutyLogInput, idempotencyKey: string) =>
  api(DutyLogView, '/api/duty/log', { method: 'POST', data: input, idempotencyKey, auth: true });

export const dutyLogToIssue = (
  { id, ...input }: Omit<DutyLogIssueInput, 'urgency'> & { id: string },
  idempotencyKey: string,
) =>
  api(IssueDetail, `/api/duty/log/${id}/issue`, { method: 'POST', data: input, idempotencyKey, auth: true });

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-21" of an instant in China time. */
export function chinaDate(d: Date = new Date()): string {
  const x = new Date(d.getTime() + 8 * 3600_000);
  return `${x.getUTCFullYear()}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}`;
}

/** "14:05" of an instant, China time. */
export function clock(iso: string): string {
  const x = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${pad(x.getUTCHours())}:${pad(x.getUTCMinutes())}`;
}

/** First and last day of the month `offset` months from `date`'s month. */
export function monthRange(year: number, month: number): { from: string; to: string } {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(last)}` };
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "11月21日 周六" of a "2026-11-21". */
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${m}月${d}日 周${WEEKDAYS[w]}`;
}
