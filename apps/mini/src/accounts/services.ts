import {
  AccountDetail,
  AccountEventList,
  AccountList,
  AccountPeople,
  AccountView,
  type BanInput,
  BanView,
  OneTimePasswordView,
  type Open311KeyInput,
  Open311KeyIssued,
  Open311KeyView,
  RollupView,
} from '@gongzhi/domain';
import { z } from 'zod';
import { api, query } from '../services/http';

const qs = (params: Record<string, string | number | undefined>) => {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
};

export type AccountFilter = 'staff' | 'disabled' | 'resident';

export const listAccounts = (q: string, filter: AccountFilter, cursor?: string) =>
  api(
    AccountList,
    `/api/admin/accounts${qs({
      q,
      cursor,
      kind: filter === 'resident' ? 'resident' : undefined,
      status: filter === 'disabled' ? 'disabled' : undefined,
    })}`,
    { auth: true },
  );

export const getAccount = (id: string) => api(AccountDetail, `/api/admin/accounts/${id}`, { auth: true });

export const listAccountPeople = (community?: string) =>
  api(AccountPeople, `/api/admin/account-people${qs({ community })}`, { auth: true });

export const createStaffAccount = (input: { community: string; person: string; phone: string }) =>
  api(OneTimePasswordView, '/api/admin/accounts', { method: 'POST', data: input, auth: true });

export const setDisabled = (id: string, disabled: boolean) =>
  api(AccountView, `/api/admin/accounts/${id}/${disabled ? 'disable' : 'enable'}`, {
    method: 'POST',
    auth: true,
  });

export const resetPassword = (id: string) =>
  api(OneTimePasswordView, `/api/admin/accounts/${id}/reset-password`, { method: 'POST', auth: true });

export const endSession = (id: string, sessionId: string) =>
  api(z.null(), `/api/admin/accounts/${id}/sessions/${sessionId}/end`, { method: 'POST', auth: true });

export const bindWechat = (id: string, openid: string) =>
  api(AccountView, `/api/admin/accounts/${id}/wechat`, { method: 'PUT', data: { openid }, auth: true });

export const unbindWechat = (id: string) =>
  api(AccountView, `/api/admin/accounts/${id}/wechat`, { method: 'DELETE', auth: true });

export const listAccountEvents = (cursor?: string, account?: string) =>
  api(AccountEventList, `/api/admin/account-events${qs({ cursor, account })}`, { auth: true });

export const changeOwnPassword = (oldPassword: string, newPassword: string) =>
  api(z.null(), '/api/me/password', { method: 'POST', data: { oldPassword, newPassword }, auth: true });

// ── the district roll-up (区域汇总), Open311 keys and the ban list: administrators only ──

/** The roll-up of the communities listed (all when none) for a quarter or month key ("2026Q4", "2026-11"). */
export const readRollup = (period: string, communities: readonly string[]) =>
  api(RollupView, `/api/admin/rollup${query({ period, communities: communities.join(',') })}`, {
    auth: true,
  });

export const listOpen311Keys = () => api(z.array(Open311KeyView), '/api/admin/open311-keys', { auth: true });

/**
 * The key is in this answer only (the server keeps its hash); a retry with the action's
 * Idempotency-Key gives back the same key instead of issuing a second one.
 */
export const createOpen311Key = (input: Open311KeyInput, idempotencyKey: string) =>
  api(Open311KeyIssued, '/api/admin/open311-keys', {
    method: 'POST',
    data: input,
    auth: true,
    idempotencyKey,
  });

export const revokeOpen311Key = (id: string) =>
  api(Open311KeyView, `/api/admin/open311-keys/${id}/revoke`, { method: 'POST', auth: true });

export const listBans = () => api(z.array(BanView), '/api/admin/bans', { auth: true });

/** Idempotent per kind and value: the same ban twice answers the one already in force. */
export const addBan = (input: BanInput) =>
  api(BanView, '/api/admin/bans', { method: 'POST', data: input, auth: true });

export const removeBan = (id: string) =>
  api(z.null(), `/api/admin/bans/${id}`, { method: 'DELETE', auth: true });
