import { ComplaintView, type RatingInput } from '@gongzhi/domain';
import { api } from './http';

export const trackComplaint = (code: string, secret: string) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}`, {
    headers: { 'X-Tracking-Secret': secret },
    auth: false,
  });

export const verifyComplaint = (code: string, secret: string, note?: string) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}/verify`, {
    method: 'POST',
    data: note ? { note } : {},
    headers: { 'X-Tracking-Secret': secret },
    auth: false,
  });

export const rejectComplaintFix = (code: string, secret: string, reason: string) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}/reject-fix`, {
    method: 'POST',
    data: { reason },
    headers: { 'X-Tracking-Secret': secret },
    auth: false,
  });

export const rateComplaint = (code: string, secret: string, rating: RatingInput) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}/rating`, {
    method: 'POST',
    data: rating,
    headers: { 'X-Tracking-Secret': secret },
    auth: false,
  });
