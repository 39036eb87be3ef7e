import { NoticePage } from '@gongzhi/domain';
import { api } from './http';

/** Public: the community's published notices, newest first (the home page shows a few). */
export const publicNotices = (
  community: string,
  opts: { zone?: string; cursor?: string; limit?: number } = {},
) => {
  const q = [
    `limit=${opts.limit ?? 20}`,
    opts.zone ? `zone=${encodeURIComponent(opts.zone)}` : '',
    opts.cursor ? `cursor=${encodeURIComponent(opts.cursor)}` : '',
  ]
    .filter(Boolean)
    .join('&');
  return api(NoticePage, `/api/communities/${encodeURIComponent(community)}/notices?${q}`, { auth: false });
};
