import type { ArchiveSection } from '../section';
import { dutySection } from './duty';
import { evaluationsSection } from './evaluations';
import { issuesSection } from './issues';
import { lettersSection } from './letters';
import { meetingsSection } from './meetings';
import { noticesSection } from './notices';

/**
 * What a quarterly package holds, in order (files and the PDF summary's chapters follow it). A new
 * kind of record joins with one exporter: an `ArchiveSection` reads its rows of [start, end) in
 * `sx.tx` and returns files plus a summary block.
 */
export const ARCHIVE_SECTIONS: readonly ArchiveSection[] = [
  issuesSection,
  meetingsSection,
  dutySection,
  lettersSection,
  noticesSection,
  evaluationsSection,
];
