import {
  ARCHIVE_FORMAT,
  type ArchiveCounts,
  type ArchiveManifest,
  assertMayManageArchives,
  type CreateArchiveInput,
  checkArchivable,
  FINAL_STATUSES,
  formatQuarter,
  localDateOf,
  MANIFEST_PATH,
  parseQuarter,
  quarterBounds,
  quarterDates,
  quarterLabel,
} from '@gongzhi/domain';
import { and, asc, eq, gte, lt, notInArray } from 'drizzle-orm';
import { communitiesTable, issuesTable, quarterArchivesTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, actorKeyOf, callerOf, getCommunity } from '../context';

import { localTime } from '../tasks/open-tasks';
import { type ArchiveContext, toArchiveView } from './list-archives';
import type { PackageFile, SummaryBlock } from './section';
import { ARCHIVE_SECTIONS } from './sections';
import { SIGNATURE_PATH, signManifest } from './signing';
import { renderSummaryPdf, requireCjkFont } from './summary-pdf';
import { manifestEntryOf, sha256Of, zipPackage } from './zip';

const EMPTY_COUNTS: ArchiveCounts = {
  issues: 0,
  openIssues: 0,
  photos: 0,
  zoneMeetings: 0,
  jointMeetings: 0,
  dutyLogEntries: 0,
  letters: 0,
};

/**
 * Archive a finished quarter (docs/domain.md §13): build the package (every section's files, the PDF
 * summary, the manifest), store it, and record it — which locks the quarter. All in one transaction
 * holding the community row FOR UPDATE: edits (which take it KEY SHARE, see quarter-lock.ts) wait
 * while the snapshot is taken, and are refused once it commits. Nothing is locked if anything fails.
 */
export async function createArchive(ctx: ArchiveContext, key: string, input: CreateArchiveInput) {
  const principal = callerOf(ctx);
  const community = getCommunity(ctx, key);
  assertMayManageArchives(actorIn(principal, community));
  const quarter = parseQuarter(input.quarter, 'body.quarter');
  const font = requireCjkFont();
  const cid = await communityId(ctx.db, community.key);
  const now = ctx.now();
  const tz = community.config.timezone;
  const storedKeys: string[] = [];
  try {
    const row = await ctx.db.transaction(async (tx) => {
      await tx
        .select({ id: communitiesTable.id })
        .from(communitiesTable)
        .where(eq(communitiesTable.id, cid))
        .for('update');
      const existing = await tx
        .select({ quarter: quarterArchivesTable.quarter })
        .from(quarterArchivesTable)
        .where(eq(quarterArchivesTable.communityId, cid));
      const bounds = quarterBounds(quarter, tz);
      const { start, end } = checkArchivable(
        quarter,
        now,
        tz,
        existing.map((e) => e.quarter),
        {
          issues: await tx
            .select({ code: issuesTable.code, status: issuesTable.status })
            .from(issuesTable)
            .where(
              and(
                eq(issuesTable.communityId, cid),
                gte(issuesTable.createdAt, bounds.start),
                lt(issuesTable.createdAt, bounds.end),
                notInArray(issuesTable.status, [...FINAL_STATUSES]),
              ),
            )
            .orderBy(asc(issuesTable.createdAt)),
          confirmed: input.allowOpenIssues,
        },
      );

      const sx = { tx, community, communityId: cid, quarter, start, end, storage: ctx.storage };
      const files: PackageFile[] = [];
      const blocks: SummaryBlock[] = [];
      const counts: ArchiveCounts = { ...EMPTY_COUNTS };
      for (const section of ARCHIVE_SECTIONS) {
        const out = await section.export(sx);
        files.push(...out.files);
        blocks.push(out.summary);
        Object.assign(counts, out.counts);
      }
      const createdBy = community.people.get(actorKeyOf(principal))?.name ?? principal.displayName;
      const label = quarterLabel(quarter);
      const days = quarterDates(quarter);
      const dataEntries = files.map(manifestEntryOf);
      const pdf = await renderSummaryPdf(
        {
          title: `${community.name} ${label} 归档摘要`,
          meta: [
            `期间：${days.first} 至 ${days.last}（${tz}）`,
            `归档时间：${localDateOf(now, tz)} ${localTime(now, tz).split(' ').at(-1)}　归档人：${createdBy}`,
            `格式：${ARCHIVE_FORMAT}`,
          ],
          blocks,
          files: dataEntries,
          createdAt: now,
        },
        font,
      );
      const summary: PackageFile = { path: 'summary.pdf', data: pdf, stored: true };
      const manifest: ArchiveManifest = {
        format: ARCHIVE_FORMAT,
        community: { key: community.key, name: community.name },
        quarter: formatQuarter(quarter),
        period: { start: start.toISOString(), end: end.toISOString(), timezone: tz },
        createdAt: now.toISOString(),
        createdBy,
        files: [manifestEntryOf(summary), ...dataEntries],
      };
      const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
      const signature = signManifest(manifestBytes, ctx.signingSecret);
      const all: PackageFile[] = [
        { path: MANIFEST_PATH, data: manifestBytes },
        { path: SIGNATURE_PATH, data: Buffer.from(`${JSON.stringify(signature, null, 2)}\n`, 'utf8') },
        summary,
        ...files,
      ];
      const zip = zipPackage(all, now);
      const sha256 = sha256Of(zip);
      const storageKey = `archives/${community.key}/${formatQuarter(quarter).toLowerCase()}-${sha256.slice(0, 16)}.zip`;
      await ctx.storage.put(storageKey, zip, 'application/zip');
      storedKeys.push(storageKey);
      const [inserted] = await tx
        .insert(quarterArchivesTable)
        .values({
          communityId: cid,
          quarter: formatQuarter(quarter),
          startsAt: start,
          endsAt: end,
          storageKey,
          fileName: `${community.key}-${formatQuarter(quarter)}.zip`,
          sha256,
          bytes: zip.length,
          fileCount: all.length,
          counts,
          createdBy: actorKeyOf(principal),
          createdByAccountId: principal.accountId,
          createdAt: now,
        })
        .returning();
      return inserted!;
    });
    return toArchiveView(community, row, actorIn(principal, community));
  } catch (err) {
    // The quarter was not archived: the file written for it must not linger.
    await Promise.all(storedKeys.map((k) => ctx.storage.delete(k)));
    throw err;
  }
}
