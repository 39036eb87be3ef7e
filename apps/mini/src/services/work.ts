import {
  IssueDetail,
  type IssueLetterInput,
  IssuePage,
  LetterPage,
  LetterProposalPage,
  LetterProposalView,
  LetterView,
  NotificationPage,
  TaskPage,
  TaskView,
  UnreadCount,
} from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import { api, query, readSession } from './http';

export interface TaskFilter {
  community: string;
  view: 'mine' | 'owned';
  status: 'active' | 'done' | 'all';
  overdue?: boolean;
  cursor?: string;
}

export const listTasks = (f: TaskFilter) =>
  api(TaskPage, `/api/tasks${query({ ...f, overdue: f.overdue ? 'true' : undefined, cursor: f.cursor })}`, {
    auth: true,
  });

const step = (id: string, action: string, data: Record<string, unknown> = {}) =>
  api(TaskView, `/api/tasks/${id}/${action}`, { method: 'POST', data, auth: true });

export const acceptTask = (id: string) => step(id, 'accept');
export const startTask = (id: string) => step(id, 'start');
export const returnTask = (id: string, reason: string) => step(id, 'return', { reason });
export const resolveTask = (id: string, note: string, photoIds: string[]) =>
  step(id, 'resolve', { note, photoIds });

export const reportBack = (issueId: string, to: string, note: string) =>
  api(IssueDetail, `/api/issues/${issueId}/report-backs`, { method: 'POST', data: { to, note }, auth: true });

export const listLetters = (community: string, unacknowledged?: boolean) =>
  api(
    LetterPage,
    `/api/letters${query({ community, unacknowledged: unacknowledged ? 'true' : undefined })}`,
    {
      auth: true,
    },
  );

export const acknowledgeLetter = (id: string, note?: string) =>
  api(LetterView, `/api/letters/${id}/acknowledge`, {
    method: 'POST',
    data: note ? { note } : {},
    auth: true,
  });

export const listLetterProposals = (community: string) =>
  api(LetterProposalPage, `/api/letter-proposals${query({ community, status: 'pending' })}`, { auth: true });

export const decideLetterProposal = (id: string, decision: 'confirm' | 'dismiss') =>
  api(LetterProposalView, `/api/letter-proposals/${id}/${decision}`, {
    method: 'POST',
    data: {},
    auth: true,
  });

export const issueLetter = (input: IssueLetterInput, idempotencyKey: string) =>
  api(LetterView, '/api/letters', { method: 'POST', data: input, auth: true, idempotencyKey });

/** Issues to cite in a letter, by code or words. */
export const findIssues = (community: string, text: string) =>
  api(IssuePage, `/api/issues${query({ community, q: text, limit: '20' })}`, { auth: true });

export const listNotifications = (cursor?: string) =>
  api(NotificationPage, `/api/me/notifications${query({ cursor })}`, { auth: true });

export const markRead = (id: string) =>
  api(UnreadCount, `/api/me/notifications/${id}/read`, { method: 'POST', data: {}, auth: true });

export const markAllRead = () =>
  api(UnreadCount, '/api/me/notifications/read-all', { method: 'POST', data: {}, auth: true });

/** The work tab (index 2) shows how many notifications are unread. */
const WORK_TAB = 2;

export async function refreshUnreadBadge(known?: number) {
  try {
    const unread =
      known ??
      (readSession()
        ? (await api(UnreadCount, '/api/me/notifications/unread-count', { auth: true })).unread
        : 0);
    if (unread > 0)
      await Taro.setTabBarBadge({ index: WORK_TAB, text: unread > 99 ? '99+' : String(unread) });
    else await Taro.removeTabBarBadge({ index: WORK_TAB });
  } catch {
    // Not on a tab page, or offline: the badge is refreshed on the next page shown.
  }
}
