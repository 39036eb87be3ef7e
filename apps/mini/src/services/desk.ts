import { DeskPage, type DeskQueue, IssueDetail, TaskView } from '@gongzhi/domain';
import { api, query } from './http';

export const listDesk = (f: { community: string; queue?: DeskQueue; cursor?: string }) =>
  api(DeskPage, `/api/desk${query({ ...f, limit: 20 })}`, { auth: true });

export const redispatchIssue = (id: string, assignee: string, note: string) =>
  api(IssueDetail, `/api/issues/${id}/dispatch`, {
    method: 'POST',
    data: note ? { assignee, note } : { assignee },
    auth: true,
  });

export const reassignTask = (taskId: string, assignee: string, note: string) =>
  api(TaskView, `/api/tasks/${taskId}/reassign`, { method: 'POST', data: { assignee, note }, auth: true });

export const mergeIssue = (id: string, into: string, note: string) =>
  api(IssueDetail, `/api/issues/${id}/merge`, {
    method: 'POST',
    data: note ? { into, note } : { into },
    auth: true,
  });

export const rejectIssue = (id: string, reason: string) =>
  api(IssueDetail, `/api/issues/${id}/reject`, { method: 'POST', data: { reason }, auth: true });
