import {
  type DisputeDecisionInput,
  type ExtensionDecisionInput,
  type ExtensionInput,
  type InspectionInput,
  IssueDetail,
  type ParkInput,
  type ParkingDecisionInput,
  type ParkReviewInput,
} from '@gongzhi/domain';
import { api } from './http';

/** Case handling (issue 17): each step answers with the issue as the caller now sees it. */
const step = (id: string, path: string, data: object) =>
  api(IssueDetail, `/api/issues/${id}/${path}`, { method: 'POST', data, auth: true });

export const inspectIssue = (id: string, input: InspectionInput) => step(id, 'inspection', input);
export const parkIssue = (id: string, input: ParkInput) => step(id, 'park', input);
export const requestParking = (id: string, input: ParkInput) => step(id, 'park-request', input);
export const decideParking = (id: string, input: ParkingDecisionInput) =>
  step(id, 'park-request/decision', input);
export const reviewParking = (id: string, input: ParkReviewInput) => step(id, 'park-review', input);
export const requestExtension = (id: string, input: ExtensionInput) => step(id, 'extension', input);
export const decideExtension = (id: string, input: ExtensionDecisionInput) =>
  step(id, 'extension/decision', input);
export const disputeReturn = (id: string, reason: string) => step(id, 'return-dispute', { reason });
export const decideDispute = (id: string, input: DisputeDecisionInput) =>
  step(id, 'return-dispute/decision', input);
export const urgeIssue = (id: string, note: string) => step(id, 'urge', { note });
