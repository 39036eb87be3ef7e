import {
  CallbackListView,
  type ContactInput,
  IssueDetail,
  IssuePage,
  type IssueStatus,
  type PhoneCallbackInput,
  type RatingInput,
} from '@gongzhi/domain';
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

/** 已联系 (issue 17 item 6): the reporter was called, messaged, visited or answered in the app. */
export const contactReporter = (id: string, input: ContactInput) =>
  api(IssueDetail, `/api/issues/${id}/contact`, { method: 'POST', data: input, auth: true });

/** A phone callback (回访) on a closed issue: the reporter's two answers. */
export const recordCallback = (id: string, input: PhoneCallbackInput) =>
  api(IssueDetail, `/api/issues/${id}/callback`, { method: 'POST', data: input, auth: true });

/** Closed issues awaiting a callback that the caller may call back. */
export const listCallbacks = (community: string) =>
  api(CallbackListView, `/api/communities/${community}/callbacks`, { auth: true });
