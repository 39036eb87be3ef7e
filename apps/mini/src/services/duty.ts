import {
  type DutyLogInput,
  type DutyLogIssueInput,
  DutyLogPage,
  DutyLogView,
  IssueDetail,
  MyShiftsView,
  OnDutyNowView,
  type RequestSwapInput,
  RotaView,
  SwapList,
  SwapView,
} from '@gongzhi/domain';
import { api, newIdempotencyKey } from './http';

const c = (key: string) => encodeURIComponent(key);

/** Public: who is on duty at this moment (no login). */
export const dutyNow = (community: string) =>
  api(OnDutyNowView, `/api/communities/${c(community)}/duty/now`, { auth: false });

export const myShifts = () => api(MyShiftsView, '/api/me/shifts', { auth: true });

export const rota = (community: string, from: string, to: string) =>
  api(RotaView, `/api/communities/${c(community)}/duty?from=${from}&to=${to}`, { auth: true });

export const listSwaps = (status: 'requested' | 'all') =>
  api(SwapList, `/api/duty/swaps?status=${status}`, { auth: true });

export const requestSwap = (input: RequestSwapInput) =>
  api(SwapView, '/api/duty/swaps', {
    method: 'POST',
    data: input,
    headers: { 'idempotency-key': newIdempotencyKey() },
    auth: true,
  });

export const answerSwap = (id: string, action: 'accept' | 'decline' | 'cancel') =>
  api(SwapView, `/api/duty/swaps/${id}/${action}`, { method: 'POST', data: {}, auth: true });

export const dutyLog = (community: string, cursor?: string) =>
  api(
    DutyLogPage,
    `/api/communities/${c(community)}/duty/log${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    { auth: true },
  );

export const recordDutyLog = (input: DutyLogInput) =>
  api(DutyLogView, '/api/duty/log', {
    method: 'POST',
    data: input,
    headers: { 'idempotency-key': newIdempotencyKey() },
    auth: true,
  });

export const dutyLogToIssue = (id: string, input: Omit<DutyLogIssueInput, 'urgency'>) =>
  api(IssueDetail, `/api/duty/log/${id}/issue`, {
    method: 'POST',
    data: input,
    headers: { 'idempotency-key': newIdempotencyKey() },
    auth: true,
  });

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
