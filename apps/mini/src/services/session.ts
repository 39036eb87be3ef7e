import { Me, Tokens } from '@gongzhi/domain';
import { z } from 'zod';
import { api, clearSession, readSession, saveTokens } from './http';

let me: Promise<Me> | null = null;

export async function login(phone: string, password: string): Promise<Me> {
  const tokens = await api(Tokens, '/api/auth/login', {
    method: 'POST',
    data: { phone, password },
    auth: false,
  });
  saveTokens(tokens);
  me = null; // whoever was cached before (an expired session) is not who logged in now
  return loadMe();
}

/** The logged-in person and their roles; one request per session. */
export function loadMe(): Promise<Me> {
  me ??= api(Me, '/api/me', { auth: true });
  me.catch(() => {
    me = null;
  });
  return me;
}

export const isLoggedIn = () => readSession() !== null;

/** Drop the cached profile (it changed, e.g. a one-time password was replaced): the next loadMe asks again. */
export function forgetMe() {
  me = null;
}

export async function logout() {
  try {
    await api(z.null(), '/api/auth/logout', { method: 'POST', auth: true });
  } catch {
    // Logging out on this device works without network; the session expires on its own.
  }
  me = null;
  clearSession();
}

/** Zones where the person patrols or works, with their org there. */
export const zonesOf = (m: Me) => m.roles?.zones ?? [];
