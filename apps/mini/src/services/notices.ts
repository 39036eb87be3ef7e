import { NoticePage } from '@gongzhi/domain';
import { api, query } from './http';

/** Public: the community's published notices, newest first (the home page shows a few). */
export const publicNotices = (
  community: string,
  opts: { zone?: string; cursor?: string; limit?: number } = {},
) => {
  const q = query({ limit: opts.limit ?? 20, zone: opts.zone, cursor: opts.cursor });
  return api(NoticePage, `/api/communities/${encodeURIComponent(community)}/notices${q}`, { auth: false });
};
