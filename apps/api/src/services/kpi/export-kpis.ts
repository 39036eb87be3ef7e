import {
  cellText,
  KPI_EXPORT_HEADER,
  type KpiCell,
  type KpiExportQuery,
  kpiExportFileName,
  kpiExportNotes,
  kpiExportRows,
} from '@gongzhi/domain';
import { csvFile, type Table, type TableCell, xlsxFile } from '../../lib/table-file';
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
const tableCell = (c: KpiCell): TableCell =>
  'count' in c ? c.count : 'ratio' in c ? { ratio: c.ratio.value, text: cellText(c) } : c.text;

/** GET /api/communities/:key/kpis/export?format=csv|xlsx: the same view as a file. */
export async function exportKpis(ctx: ServiceContext, key: string, q: KpiExportQuery): Promise<KpiExport> {
  const { format, ...query } = q;
  const view = await readKpis(ctx, key, query);
  const asciiName = `kpi-${view.community.key}-${view.scope.key ?? 'community'}-${view.period.key.replace('..', '_')}.${format}`;
  const opts = { timeZone: view.period.timezone };
  const figures: Table = {
    sheet: '考核指标',
    header: KPI_EXPORT_HEADER,
    rows: kpiExportRows(view).map((row) => row.map(tableCell)),
    widths: KPI_EXPORT_HEADER.map((_, i) => (i === 1 ? 18 : 11)),
  };
  if (format === 'csv') {
    return {
      body: csvFile(figures, opts),
      contentType: 'text/csv; charset=utf-8',
      fileName: kpiExportFileName(view, 'csv'),
      asciiName,
    };
  }
  const notes: Table = {
    sheet: '说明',
    header: ['项目', '内容'],
    rows: kpiExportNotes(view),
    widths: [14, 70],
  };
  return {
    body: await xlsxFile([figures, notes], opts),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: kpiExportFileName(view, 'xlsx'),
    asciiName,
  };
}
