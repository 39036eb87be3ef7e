import { ComplaintView } from '@gongzhi/domain';
import { api } from './http';

export const trackComplaint = (code: string, secret: string) =>
  api(ComplaintView, `/api/complaints/${encodeURIComponent(code)}`, {
    headers: { 'X-Tracking-Secret': secret },
    auth: false,
  });
