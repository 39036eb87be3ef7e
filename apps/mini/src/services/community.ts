import { PublicCommunity, QrResolution } from '@gongzhi/domain';
import { api } from './http';

/** The community a device belongs to when no QR code or account says otherwise. */
export const DEFAULT_COMMUNITY = 'xiaduoyuan';

const cache = new Map<string, Promise<PublicCommunity>>();

/** Public facts of a community (zones, rosters, categories); kept for the app's lifetime. */
export function loadCommunity(key: string): Promise<PublicCommunity> {
  let p = cache.get(key);
  if (!p) {
    p = api(PublicCommunity, `/api/communities/${encodeURIComponent(key)}`, { auth: false });
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export const resolveQr = (code: string) =>
  api(QrResolution, `/api/qr/${encodeURIComponent(code)}`, { auth: false });

/** "1-42" → 1…42; a zone without numbered buildings gives nothing. */
export function buildingNumbers(ranges: string[]): number[] {
  const out: number[] = [];
  for (const r of ranges) {
    const [a, b] = r.split('-').map((n) => Number.parseInt(n, 10));
    if (a === undefined || Number.isNaN(a)) continue;
    const end = b === undefined || Number.isNaN(b) ? a : b;
    for (let n = a; n <= end; n++) out.push(n);
  }
  return out;
}
