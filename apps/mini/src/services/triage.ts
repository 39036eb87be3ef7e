import { IssueDetail, type PlaceIssueInput, TriagePage } from '@gongzhi/domain';
import { api, query } from './http';

/** The triage desk (兜底): complaints routing could not place. */
export const listTriage = (community: string) =>
  api(TriagePage, `/api/triage${query({ community })}`, { auth: true });

/** Place one by hand: it then routes as usual. */
export const placeIssue = (id: string, input: PlaceIssueInput, idempotencyKey: string) =>
  api(IssueDetail, `/api/issues/${id}/place`, { method: 'POST', data: input, auth: true, idempotencyKey });
