import {
  CampaignList,
  type CreateNoticeBody,
  type EditNoticeBody,
  type HonorEntryInput,
  HonorEntryPage,
  HonorEntryView,
  IssuePage,
  NoticePage,
  type NoticeStatus,
  NoticeView,
  ResolutionPage,
} from '@gongzhi/domain';
import { api, query, url } from '../services/http';

/** A notice: published ones for anyone; with a session, drafts for those who write them. */
export const getNotice = (id: string, signedIn: boolean) =>
  api(NoticeView, `/api/notices/${id}`, { auth: signedIn });

export const staffNotices = (community: string, status?: NoticeStatus, cursor?: string) =>
  api(NoticePage, `/api/notices${query({ community, status, cursor })}`, { auth: true });

export const createNotice = (body: CreateNoticeBody, idempotencyKey: string) =>
  api(NoticeView, '/api/notices', { method: 'POST', data: body, auth: true, idempotencyKey });

export const editNotice = (id: string, body: EditNoticeBody) =>
  api(NoticeView, `/api/notices/${id}`, { method: 'PUT', data: body, auth: true });

export const stepNotice = (id: string, step: 'approve' | 'publish') =>
  api(NoticeView, `/api/notices/${id}/${step}`, { method: 'POST', data: {}, auth: true });

export const withdrawNotice = (id: string, reason: string) =>
  api(NoticeView, `/api/notices/${id}/withdraw`, { method: 'POST', data: { reason }, auth: true });

/** Sources to generate from: the community's resolutions, and issues found by code or words. */
export const resolutions = (community: string) =>
  api(ResolutionPage, `/api/resolutions${query({ community, limit: '50' })}`, { auth: true });
/** Evaluation campaigns whose results can be announced (closed or published). */
export const finishedCampaigns = async (community: string) =>
  (await api(CampaignList, `/api/evaluations${query({ community })}`, { auth: true })).items.filter(
    (c) => c.status === 'closed' || c.status === 'published',
  );
export const searchIssues = (community: string, text: string) =>
  api(IssuePage, `/api/issues${query({ community, q: text, limit: '20' })}`, { auth: true });

/** The printable page's absolute address. */
export const printUrl = (path: string) => url(path);

const honorBase = (community: string) => `/api/communities/${encodeURIComponent(community)}/honor-roll`;

/** The red and black lists' history (keepers only), newest first. */
export const honorEntries = (community: string, cursor?: string) =>
  api(HonorEntryPage, `${honorBase(community)}${query({ cursor })}`, { auth: true });

export const recordHonorEntry = (community: string, body: HonorEntryInput, idempotencyKey: string) =>
  api(HonorEntryView, honorBase(community), { method: 'POST', data: body, auth: true, idempotencyKey });
