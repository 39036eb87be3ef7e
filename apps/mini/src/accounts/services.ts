import {
  AccountDetail,
  AccountEventList,
  AccountList,
  AccountPeople,
  AccountView,
  OneTimePasswordView,
} from '@gongzhi/domain';
import { z } from 'zod';
import { api } from '../services/http';

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
