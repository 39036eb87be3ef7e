import { ComplaintView, MyComplaintPage, type RatingInput } from '@gongzhi/domain';
import { api, query } from './http';

/**
 * How a complaint is opened: by its tracking secret (sent alone: an expired login on this phone
 * must not get in the way), or with no secret by the login of the account that filed it.
 */
const opener = (secret: string) =>
  secret ? { headers: { 'X-Tracking-Secret': secret }, auth: false } : { auth: true };

/** 我的投诉 from the server: what this login filed, on any phone. */
export const myComplaints = (cursor?: string | null) =>
  api(MyComplaintPage, `/api/me/complaints${query({ limit: 20, cursor })}`, { auth: true });

export const trackComplaint = (code: string, secret: string) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}`, {
    ...opener(secret),
  });

export const verifyComplaint = (code: string, secret: string, note?: string) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}/verify`, {
    method: 'POST',
    data: note ? { note } : {},
    ...opener(secret),
  });

export const rejectComplaintFix = (code: string, secret: string, reason: string) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}/reject-fix`, {
    method: 'POST',
    data: { reason },
    ...opener(secret),
  });

export const rateComplaint = (code: string, secret: string, rating: RatingInput) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}/rating`, {
    method: 'POST',
    data: rating,
    ...opener(secret),
  });
