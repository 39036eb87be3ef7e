import type { ArchiveCounts, Community, Quarter } from '@gongzhi/domain';
import type { Tx } from '../../db/client';
import type { Storage } from '../../lib/storage';
import { csvFile, type TableCell } from '../../lib/table-file';

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
 * A CSV file of the package, by the one table writer (lib/table-file.ts): formulas neutralised,
 * instants (pass Dates) in the community's local time, a byte-order mark for Excel. Codes are
 * named in Chinese by the section before they get here.
 */
export const csv = (sx: SectionContext, header: readonly string[], rows: readonly (readonly TableCell[])[]) =>
  csvFile({ sheet: '', header, rows }, { timeZone: sx.community.config.timezone });

/** Count values into [label, n] rows, largest first, ties by label. */
export function tally<T>(items: readonly T[], label: (t: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const i of items) m.set(label(i), (m.get(label(i)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh'));
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
