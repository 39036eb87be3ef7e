import { SimilarIssues } from '@gongzhi/domain';
import { z } from 'zod';
import { api, query } from './http';

/** Open issues like the one being filed (same building or zone, same category): safe fields only. */
export const loadSimilar = (q: {
  qr?: string | undefined;
  community?: string | undefined;
  building?: number | undefined;
  zone?: string | undefined;
  category: string;
}) => api(SimilarIssues, `/api/complaints/similar${query(q)}`, { auth: false });

/** 这也是我的问题: follow it (a signed-in resident). */
export const followIssue = (id: string) =>
  api(z.object({ following: z.boolean(), interest: z.number() }), `/api/issues/${id}/follow`, {
    method: 'POST',
    data: {},
    auth: true,
  });
