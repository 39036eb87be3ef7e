import type { ArchiveSection } from '../section';
import { dutySection } from './duty';
import { issuesSection } from './issues';
import { lettersSection } from './letters';
import { meetingsSection } from './meetings';

/**
 * What a quarterly package holds, in order (files and the PDF summary's chapters follow it).
 * Notices and evaluations join here with one exporter each once their tables exist: an
 * `ArchiveSection` reads its rows of [start, end) in `sx.tx` and returns files plus a summary block.
 */
export const ARCHIVE_SECTIONS: readonly ArchiveSection[] = [
  issuesSection,
  meetingsSection,
  dutySection,
  lettersSection,
];
