import {
  KPI_EXPORT_HEADER,
  type KpiCell,
  type KpiExportQuery,
  kpiCsv,
  kpiExportFileName,
  kpiExportNotes,
  kpiExportRows,
} from '@gongzhi/domain';
import writeXlsxFile, { type Cell } from 'write-excel-file/node';
import type { ServiceContext } from '../context';
import { readKpis } from './read-kpis';

export interface KpiExport {
  body: Buffer | string;
  contentType: string;
  /** The Chinese file name (sent as RFC 6266 filename*), and an ASCII fallback. */
  fileName: string;
  asciiName: string;
}

/** Counts as numbers, ratios as numbers in percent format (Excel can sum and chart them), no data as text. */
function xlsxCell(c: KpiCell): Cell {
  if ('count' in c) return { value: c.count, type: Number };
  if ('ratio' in c) {
    return c.ratio.value === null
      ? { value: '无数据', type: String, align: 'right' }
      : { value: c.ratio.value, type: Number, format: '0.0%' };
  }
  return { value: c.text, type: String };
}

/** GET /api/communities/:key/kpis/export?format=csv|xlsx: the same view as a file. */
export async function exportKpis(ctx: ServiceContext, key: string, q: KpiExportQuery): Promise<KpiExport> {
  const { format, ...query } = q;
  const view = await readKpis(ctx, key, query);
  const asciiName = `kpi-${view.community.key}-${view.scope.key ?? 'community'}-${view.period.key.replace('..', '_')}.${format}`;
  if (format === 'csv') {
    return {
      body: kpiCsv(view),
      contentType: 'text/csv; charset=utf-8',
      fileName: kpiExportFileName(view, 'csv'),
      asciiName,
    };
  }
  const body = await writeXlsxFile(
    [
      {
        sheet: '考核指标',
        data: [
          KPI_EXPORT_HEADER.map((h) => ({ value: h, type: String, fontWeight: 'bold' as const })),
          ...kpiExportRows(view).map((row) => row.map(xlsxCell)),
        ],
        columns: KPI_EXPORT_HEADER.map((_, i) => ({ width: i === 1 ? 18 : 11 })),
        stickyRowsCount: 1,
      },
      {
        sheet: '说明',
        data: kpiExportNotes(view).map(([k, v]) => [
          { value: k, type: String, fontWeight: 'bold' as const },
          { value: v, type: String },
        ]),
        columns: [{ width: 14 }, { width: 70 }],
      },
    ],
    { fontFamily: '宋体' },
  ).toBuffer();
  return {
    body,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: kpiExportFileName(view, 'xlsx'),
    asciiName,
  };
}
