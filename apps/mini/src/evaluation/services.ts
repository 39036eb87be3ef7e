import {
  AuditPage,
  CampaignList,
  CampaignResults,
  CampaignView,
  CodeCheckView,
  type CreateCampaignInput,
  type GenerateCodesInput,
  GeneratedCodes,
  HomeList,
  HomePage,
  type HomeStatus,
  HomeView,
  type Me,
  type RequestHomeInput,
  RespondentView,
  type RespondInput,
  ResponseReceipt,
  Tokens,
} from '@gongzhi/domain';
import { accessToken, api, errorFrom, query, saveTokens, url } from '../services/http';
import { wechatSignIn } from '../services/resident-session';
import { isLoggedIn, loadMe } from '../services/session';

const post = <S extends Parameters<typeof api>[0]>(
  schema: S,
  path: string,
  data: unknown = {},
  auth = true,
) => api(schema, path, { method: 'POST', data, auth });

// ── campaigns ──
/** Public, with the leadership's view (drafts, figures) when signed in. */
export const listCampaigns = (community: string) =>
  api(CampaignList, `/api/evaluations${query({ community })}`);
export const getCampaign = (id: string) => api(CampaignView, `/api/evaluations/${id}`);
export const createCampaign = (body: CreateCampaignInput) => post(CampaignView, '/api/evaluations', body);
export const stepCampaign = (id: string, action: 'open' | 'close' | 'publish') =>
  post(CampaignView, `/api/evaluations/${id}/${action}`);
export const getResults = (id: string) => api(CampaignResults, `/api/evaluations/${id}/results`);
export const getAudit = (id: string, cursor?: string | null) =>
  api(AuditPage, `/api/evaluations/${id}/audit${query({ limit: 20, cursor })}`, { auth: true });

// ── codes ──
export const generateCodes = (id: string, body: GenerateCodesInput) =>
  post(GeneratedCodes, `/api/evaluations/${id}/codes`, body);

/**
 * H5 only: generate a batch answered as the printable slips and open them in a new window to
 * print. The window is opened first, while the tap still counts as the user's (pop-up blockers).
 * @h5
 */
export async function printCodes(id: string, body: GenerateCodesInput): Promise<void> {
  const w = window.open('', '_blank');
  try {
    const res = await fetch(url(`/api/evaluations/${id}/codes/slips`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await accessToken()}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw errorFrom(res.status, text);
    if (!w) throw new Error('浏览器拦截了打印窗口，请允许弹出窗口后重试');
    w.document.open();
    w.document.write(text);
    w.document.close();
    w.focus();
  } catch (e) {
    w?.close();
    throw e;
  }
}

export const checkCode = (code: string) =>
  post(CodeCheckView, '/api/evaluation-codes/check', { code }, false);

// ── answering ──
export const respondentView = (id: string) =>
  api(RespondentView, `/api/evaluations/${id}/questionnaire`, { auth: true });
/** With a code the answer needs no account (and sends none: the code names the household). */
export const respond = (id: string, body: RespondInput) =>
  post(ResponseReceipt, `/api/evaluations/${id}/responses`, body, body.code === undefined);

// ── households ──
export const myHomes = () => api(HomeList, '/api/me/homes', { auth: true });
export const requestHome = (body: RequestHomeInput) => post(HomeView, '/api/me/homes', body);
export const cancelHome = (id: string) => post(HomeView, `/api/me/homes/${id}/cancel`);
export const homeRequests = (community: string, status: HomeStatus, cursor?: string | null) =>
  api(HomePage, `/api/home-requests${query({ community, status, limit: 20, cursor })}`, { auth: true });
export const decideHome = (id: string, approve: boolean, note?: string) =>
  post(HomeView, `/api/home-requests/${id}/decide`, { approve, ...(note ? { note } : {}) });

/**
 * A resident's session for binding a home: the WeChat login on weapp; in demo mode the H5 build,
 * which has no wx.login, gets a resident of its own. A device already signed in keeps its account.
 */
export async function residentSession(): Promise<Me> {
  if (!isLoggedIn()) {
    if (process.env.TARO_ENV === 'weapp') await wechatSignIn();
    else saveTokens(await post(Tokens, '/api/auth/dev-resident', undefined, false));
  }
  return loadMe();
}

export const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
