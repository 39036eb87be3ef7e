import {
  AgendaPlacementView,
  CreditFileView,
  EvaluationReportView,
  ExportJobView,
  type KpiPeriod,
  type KpiScopeOption,
  KpiView,
  kpiQueryString,
} from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import { ApiError, accessToken, api, errorFrom, query, url } from './http';

const base = (community: string) => `/api/communities/${encodeURIComponent(community)}/kpis`;

export const readKpis = (community: string, period: KpiPeriod, scope: KpiScopeOption) =>
  api(KpiView, `${base(community)}?${kpiQueryString(period, scope)}`, { auth: true });

/**
 * Download a table file the API writes (KPIs, the issue ledger) with the bearer token (a plain link
 * cannot carry it): on H5 as a file the browser saves; on weapp into a temporary file that WeChat
 * opens (and can forward or save).
 */
export async function downloadTable(
  path: string,
  format: 'csv' | 'xlsx',
  fallbackName: string,
): Promise<void> {
  const token = await accessToken();
  if (!token) throw new ApiError('请先登录', 401, 'token_missing');
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(url(path), { headers: { authorization: `Bearer ${token}` } }).catch(() => {
      throw new ApiError('网络不可用，请检查网络后重试', 0, 'offline', true);
    });
    if (!res.ok) throw errorFrom(res.status, await res.text());
    const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = name ? decodeURIComponent(name) : `${fallbackName}.${format}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return;
  }
  const res = await Taro.downloadFile({ url: url(path), header: { authorization: `Bearer ${token}` } });
  if (res.statusCode !== 200) throw errorFrom(res.statusCode, null);
  // WeChat opens xlsx but not csv: the pages offer CSV on H5 only.
  await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true });
}

/** The KPI export of a period and scope. */
export const downloadKpis = (
  community: string,
  period: KpiPeriod,
  scope: KpiScopeOption,
  format: 'csv' | 'xlsx',
) =>
  downloadTable(`${base(community)}/export?${kpiQueryString(period, scope)}&format=${format}`, format, 'kpi');

/** The issue ledger (工单台账) of a period, filtered. */
export const downloadLedger = (
  community: string,
  filters: { period: string; zone?: string; category?: string; status?: string },
  format: 'csv' | 'xlsx',
) =>
  downloadTable(
    `/api/communities/${encodeURIComponent(community)}/issues/ledger${query({ ...filters, format })}`,
    format,
    'ledger',
  );

/** A large ledger range (a whole year) as a background export job; poll it with readExportJob. */
export const startLedgerJob = (
  community: string,
  filters: { from: string; to: string; zone?: string; category?: string; status?: string },
  format: 'csv' | 'xlsx',
) =>
  api(ExportJobView, `/api/communities/${encodeURIComponent(community)}/issues/ledger/jobs`, {
    method: 'POST',
    data: { ...filters, format },
    auth: true,
  });

export const readExportJob = (id: string) =>
  api(ExportJobView, `/api/export-jobs/${encodeURIComponent(id)}`, { auth: true });

/** An organisation's credit file (诚信档案) for a quarter. */
export const readCreditFile = (community: string, org: string, period: KpiPeriod) =>
  api(
    CreditFileView,
    `/api/communities/${encodeURIComponent(community)}/credit?org=${org}&period=${encodeURIComponent(period.key)}`,
    { auth: true },
  );

// ── the evaluation report (季度 / 年度评估报告) and the property company's 述职 ──
const reportBase = (community: string) =>
  `/api/communities/${encodeURIComponent(community)}/reports/evaluation`;

export const readEvaluationReport = (community: string, period: string) =>
  api(EvaluationReportView, `${reportBase(community)}?period=${encodeURIComponent(period)}`, { auth: true });

/**
 * H5: the printable report (the browser prints it to PDF) in a new window, fetched with the bearer
 * token (a plain link cannot carry it). The window is opened first, while the tap still counts.
 */
export async function openPrintableReport(community: string, period: string): Promise<void> {
  if (process.env.TARO_ENV !== 'h5') throw new Error('请在电脑浏览器中打开共治网页版打印报告');
  const w = window.open('', '_blank');
  try {
    const res = await fetch(url(`${reportBase(community)}/print?period=${encodeURIComponent(period)}`), {
      headers: { authorization: `Bearer ${await accessToken()}` },
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

export const addAnnualReport = (community: string, year: number) =>
  api(AgendaPlacementView, '/api/joint-agenda/annual-report', {
    method: 'POST',
    data: { community, year },
    auth: true,
  });
