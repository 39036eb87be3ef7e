import type { ArchiveCounts, Community, Quarter } from '@gongzhi/domain';
import type { Tx } from '../../db/client';
import type { Storage } from '../../lib/storage';

/** What a section exporter reads from: one community, one quarter, inside the archiving transaction. */
export interface SectionContext {
  tx: Tx;
  community: Community;
  communityId: string;
  quarter: Quarter;
  /** [start, end) of the quarter in the community's time zone. */
  start: Date;
  end: Date;
  storage: Storage;
}

export interface PackageFile {
  /** Path inside the package, e.g. `issues/issues.json`. */
  path: string;
  data: Buffer;
  /** Already compressed content (photos, PDF) is stored, not deflated again. */
  stored?: boolean;
}

/** A block of the PDF summary: a heading, sentences, and tables of counts. */
export interface SummaryBlock {
  heading: string;
  lines: string[];
  tables: { title: string; rows: [string, number][] }[];
}

export interface SectionOutput {
  files: PackageFile[];
  summary: SummaryBlock;
  counts?: Partial<ArchiveCounts>;
}

/**
 * One part of the quarterly package. The package is the list ARCHIVE_SECTIONS (sections/index.ts);
 * a new kind of record (notices, evaluations) joins it by adding one exporter there.
 */
export interface ArchiveSection {
  key: string;
  export(sx: SectionContext): Promise<SectionOutput>;
}

export const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/**
 * RFC 4180 CSV with a UTF-8 byte-order mark, so Excel (which people here open CSV with) reads the
 * Chinese correctly. Every field is quoted when it needs to be.
 */
export function csv(headers: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [headers, ...rows].map((r) => r.map(cell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Count values into [label, n] rows, largest first, ties by label. */
export function tally<T>(items: readonly T[], label: (t: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const i of items) m.set(label(i), (m.get(label(i)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh'));
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
