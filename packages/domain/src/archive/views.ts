import { z } from 'zod';
import { ARCHIVE_ACTIONS } from './lock';
import { QuarterKey } from './quarter';

/** What the package holds, counted, as shown in the archive list and the PDF summary. */
export const ArchiveCounts = z.object({
  issues: z.number().int(),
  /** Issues of the quarter not yet closed, rejected or merged when it was archived. */
  openIssues: z.number().int(),
  photos: z.number().int(),
  zoneMeetings: z.number().int(),
  jointMeetings: z.number().int(),
  dutyLogEntries: z.number().int(),
  letters: z.number().int(),
});
export type ArchiveCounts = z.infer<typeof ArchiveCounts>;

export const ArchiveView = z.object({
  id: z.string(),
  community: z.string(),
  quarter: QuarterKey,
  label: z.string(),
  period: z.object({ start: z.string(), end: z.string() }),
  createdAt: z.string(),
  createdBy: z.object({ key: z.string(), name: z.string() }),
  /** The package file: its name, size and SHA-256. */
  fileName: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  /** Files in the package (manifest.json included). */
  fileCount: z.number().int(),
  counts: ArchiveCounts,
  /** What the caller may do with this package (`archiveActions`). */
  allowedActions: z.array(z.enum(ARCHIVE_ACTIONS)),
});
export type ArchiveView = z.infer<typeof ArchiveView>;

export const ArchiveList = z.object({
  items: z.array(ArchiveView),
  /** Finished quarters (the last four) not archived yet: what may be archived now. */
  archivable: z.array(z.object({ quarter: QuarterKey, label: z.string() })),
  /** `create` when the caller may archive a quarter (`archiveActions`). */
  allowedActions: z.array(z.enum(ARCHIVE_ACTIONS)),
});
export type ArchiveList = z.infer<typeof ArchiveList>;

export const CreateArchiveInput = z.strictObject({
  quarter: QuarterKey,
  /** Archive even though some of the quarter's issues are still being worked on (they freeze). */
  allowOpenIssues: z.boolean().default(false),
});
export type CreateArchiveInput = z.infer<typeof CreateArchiveInput>;

/** A short-lived link that downloads the package without a bearer header (browsers, WeChat). */
export const ArchiveLinkView = z.object({ url: z.string(), expiresAt: z.string() });
export type ArchiveLinkView = z.infer<typeof ArchiveLinkView>;
