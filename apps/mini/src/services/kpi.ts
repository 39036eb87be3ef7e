import {
  CreditFileView,
  type KpiPeriod,
  type KpiScopeOption,
  KpiView,
  kpiQueryString,
} from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import { ApiError, accessToken, api, errorFrom, url } from './http';

const base = (community: string) => `/api/communities/${encodeURIComponent(community)}/kpis`;

export const readKpis = (community: string, period: KpiPeriod, scope: KpiScopeOption) =>
  api(KpiView, `${base(community)}?${kpiQueryString(period, scope)}`, { auth: true });

/**
 * Download the export with the bearer token (a plain link cannot carry it): on H5 as a file the
 * browser saves; on weapp into a temporary file that WeChat opens (and can forward or save).
 */
export async function downloadKpis(
  community: string,
  period: KpiPeriod,
  scope: KpiScopeOption,
  format: 'csv' | 'xlsx',
): Promise<void> {
  const token = await accessToken();
  if (!token) throw new ApiError('请先登录', 401, 'token_missing');
  const path = `${base(community)}/export?${kpiQueryString(period, scope)}&format=${format}`;
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(url(path), { headers: { authorization: `Bearer ${token}` } }).catch(() => {
      throw new ApiError('网络不可用，请检查网络后重试', 0, 'offline', true);
    });
    if (!res.ok) throw errorFrom(res.status, await res.text());
    const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = name ? decodeURIComponent(name) : `kpi.${format}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return;
  }
  const res = await Taro.downloadFile({ url: url(path), header: { authorization: `Bearer ${token}` } });
  if (res.statusCode !== 200) throw errorFrom(res.statusCode, null);
  // WeChat opens xlsx but not csv: the page offers CSV on H5 only.
  await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true });
}

/** An organisation's credit file (诚信档案) for a quarter. */
export const readCreditFile = (community: string, org: string, period: KpiPeriod) =>
  api(
    CreditFileView,
    `/api/communities/${encodeURIComponent(community)}/credit?org=${org}&period=${encodeURIComponent(period.key)}`,
    { auth: true },
  );
