import { IssueDetail, IssuePage, type IssueStatus, type RatingInput } from '@gongzhi/domain';
import { api, query } from './http';

export interface IssueFilter {
  community: string;
  zone?: string;
  status?: IssueStatus;
  /** One building's issues (a scanned building code). */
  building?: number;
  /** 'true': only issues not yet concluded (未办结). */
  open?: 'true';
  cursor?: string;
}

export function listIssues(f: IssueFilter) {
  return api(IssuePage, `/api/issues${query({ ...f, limit: 20 })}`, { auth: true });
}

export const getIssue = (id: string) => api(IssueDetail, `/api/issues/${id}`, { auth: true });

export const verifyIssue = (id: string, note?: string) =>
  api(IssueDetail, `/api/issues/${id}/verify`, { method: 'POST', data: note ? { note } : {}, auth: true });

export const rejectFix = (id: string, reason: string) =>
  api(IssueDetail, `/api/issues/${id}/reject-fix`, { method: 'POST', data: { reason }, auth: true });

export const rateIssue = (id: string, rating: RatingInput) =>
  api(IssueDetail, `/api/issues/${id}/rating`, { method: 'POST', data: rating, auth: true });
