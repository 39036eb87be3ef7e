import { localDateTimeOf } from '@gongzhi/domain';
import writeXlsxFile, { type Cell as XlsxCell } from 'write-excel-file/node';

/**
 * THE writer of every table a person downloads: the quarterly archive's CSV files and the KPI
 * export (CSV and XLSX). See docs/adr/0007-one-table-writer.md. Whatever the caller hands it:
 *
 * - text that a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, a tab or a
 *   carriage return — gets a leading `'` (OWASP, CSV injection), in CSV and XLSX alike;
 * - an instant (a Date) is written in the community's local time, `2026-10-08 10:00`, never as
 *   UTC with a Z (which Excel shows as text, and a day early after 16:00 in Shanghai);
 * - a ratio is a number in percent format in XLSX and its Chinese text (`75.0%`, `无数据`) in CSV;
 * - CSV is RFC 4180 with CRLF and a UTF-8 byte-order mark, so Excel on Windows reads the Chinese.
 *
 * Codes are not cells: callers name them in Chinese (STATUS_NAMES, the shift's name, 系统…) first.
 */

/** A ratio cell: the fraction for XLSX (null: no data), and the text CSV shows. */
export interface RatioCell {
  ratio: number | null;
  text: string;
}

export type TableCell = string | number | boolean | Date | null | undefined | RatioCell;

export interface Table {
  /** The XLSX sheet name. */
  sheet: string;
  header: readonly string[];
  rows: readonly (readonly TableCell[])[];
  /** XLSX column widths in characters. */
  widths?: readonly number[];
}

export interface TableOptions {
  /** The community's IANA time zone, for every Date. */
  timeZone: string;
}

const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** Text a spreadsheet would take for a formula, made inert with a leading apostrophe. */
export const neutraliseFormula = (s: string) => (FORMULA_LEAD.test(s) ? `'${s}` : s);

const isRatio = (v: TableCell): v is RatioCell => typeof v === 'object' && v !== null && !(v instanceof Date);

/** The text of a cell as CSV shows it (before quoting). */
export function tableCellText(v: TableCell, opts: TableOptions): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return localDateTimeOf(v, opts.timeZone);
  if (isRatio(v)) return v.text;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return neutraliseFormula(v);
}

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One table as a CSV file. */
export function csvFile(table: Table, opts: TableOptions): Buffer {
  const lines = [
    table.header.map((h) => quote(neutraliseFormula(h))).join(','),
    ...table.rows.map((r) => r.map((c) => quote(tableCellText(c, opts))).join(',')),
  ];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

function xlsxCell(v: TableCell, opts: TableOptions): XlsxCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return { value: v, type: Number };
  if (isRatio(v)) {
    return v.ratio === null
      ? { value: v.text, type: String, align: 'right' }
      : { value: v.ratio, type: Number, format: '0.0%' };
  }
  return { value: tableCellText(v, opts), type: String };
}

/** Tables as the sheets of one XLSX workbook, each with a bold, frozen header row. */
export async function xlsxFile(tables: readonly Table[], opts: TableOptions): Promise<Buffer> {
  return writeXlsxFile(
    tables.map((t) => ({
      sheet: t.sheet,
      data: [
        t.header.map((h) => ({ value: neutraliseFormula(h), type: String, fontWeight: 'bold' as const })),
        ...t.rows.map((r) => r.map((c) => xlsxCell(c, opts))),
      ],
      ...(t.widths ? { columns: t.widths.map((width) => ({ width })) } : {}),
      stickyRowsCount: 1,
    })),
    { fontFamily: '宋体' },
  ).toBuffer();
}
