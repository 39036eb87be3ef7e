import {
  type Actor,
  type ArchiveList,
  type ArchiveView,
  archiveActions,
  assertMayManageArchives,
  type Community,
  Conflict,
  formatQuarter,
  NotFound,
  parseQuarter,
  quarterLabel,
  recentFinishedQuarters,
} from '@gongzhi/domain';
import { desc, eq } from 'drizzle-orm';
import { communitiesTable, type QuarterArchiveRow, quarterArchivesTable } from '../../db/schema';
import { linkToken, linkTokenValid } from '../../lib/signed-link';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';

import type { PhotoContext } from '../photos/photo-files';
import { sha256Of } from './zip';

/**
 * Archiving reads photos from the file store and writes the package there (the photo verbs'
 * context), and signs the manifest with the key derived from the server secret.
 */
export type ArchiveContext = PhotoContext & { signingSecret: string };

export function toArchiveView(community: Community, row: QuarterArchiveRow, actor: Actor): ArchiveView {
  return {
    id: row.id,
    community: community.key,
    quarter: row.quarter,
    label: quarterLabel(parseQuarter(row.quarter)),
    period: { start: row.startsAt.toISOString(), end: row.endsAt.toISOString() },
    createdAt: row.createdAt.toISOString(),
    createdBy: {
      key: row.createdBy,
      name:
        row.createdBy === 'admin' ? '管理员' : (community.people.get(row.createdBy)?.name ?? row.createdBy),
    },
    fileName: row.fileName,
    bytes: row.bytes,
    sha256: row.sha256,
    fileCount: row.fileCount,
    counts: row.counts,
    allowedActions: archiveActions(actor, 'package'),
  };
}

/** The community's archives, newest quarter first, and the finished quarters not archived yet. */
export async function listArchives(ctx: ServiceContext, key: string): Promise<ArchiveList> {
  const community = getCommunity(ctx, key);
  const actor = actorIn(callerOf(ctx), community);
  assertMayManageArchives(actor);
  const rows = await ctx.db
    .select()
    .from(quarterArchivesTable)
    .where(eq(quarterArchivesTable.communityId, await communityId(ctx.db, community.key)))
    .orderBy(desc(quarterArchivesTable.startsAt));
  const done = new Set(rows.map((r) => r.quarter));
  return {
    items: rows.map((r) => toArchiveView(community, r, actor)),
    archivable: recentFinishedQuarters(ctx.now(), community.config.timezone, 4)
      .filter((q) => !done.has(formatQuarter(q)))
      .map((q) => ({ quarter: formatQuarter(q), label: quarterLabel(q) })),
    allowedActions: archiveActions(actor, 'list'),
  };
}

const notFound = () => NotFound('archive_not_found', '归档不存在或您无权下载');

async function loadArchive(ctx: ServiceContext, id: string) {
  const [found] = await ctx.db
    .select({ row: quarterArchivesTable, communityKey: communitiesTable.key })
    .from(quarterArchivesTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, quarterArchivesTable.communityId))
    .where(eq(quarterArchivesTable.id, id));
  if (!found) throw notFound();
  return { row: found.row, community: getCommunity(ctx, found.communityKey) };
}

// Download links (lib/signed-link.ts): a browser tab or WeChat's downloader cannot send our bearer
// header, so a signed, short-lived URL is the credential (like the duty feed's, but expiring: a
// package holds every record of a quarter).
export const LINK_TTL_MS = 10 * 60 * 1000;
const ARCHIVE_LINK_LABEL = 'gongzhi/archive-link/v1';

/** A link to download one archive for the next ten minutes (for those who may manage archives). */
export async function archiveLink(
  ctx: ServiceContext,
  id: string,
  keys: { secret: string; publicUrl: string },
) {
  const principal = callerOf(ctx);
  const { row, community } = await loadArchive(ctx, id);
  assertMayManageArchives(actorIn(principal, community));
  const expires = ctx.now().getTime() + LINK_TTL_MS;
  const token = linkToken(keys.secret, ARCHIVE_LINK_LABEL, row.id, expires);
  return {
    url: `${keys.publicUrl.replace(/\/$/, '')}/api/archives/${row.id}/package?token=${token}`,
    expiresAt: new Date(expires).toISOString(),
  };
}

/**
 * The package's bytes, for a bearer caller who may manage archives or for a valid link token. The
 * stored file is checked against the SHA-256 recorded when it was made: a file changed in storage
 * is refused with 409 archive_file_changed, never handed out as the archive.
 */
export async function readArchivePackage(
  ctx: ArchiveContext,
  id: string,
  auth: { token?: string | undefined; secret: string },
) {
  const { row, community } = await loadArchive(ctx, id);
  if (auth.token !== undefined) {
    if (!linkTokenValid(auth.secret, ARCHIVE_LINK_LABEL, row.id, auth.token, ctx.now().getTime())) {
      throw notFound();
    }
  } else {
    assertMayManageArchives(actorIn(callerOf(ctx), community));
  }
  const data = await ctx.storage.get(row.storageKey);
  if (!data) throw NotFound('archive_file_missing', `${row.fileName} 在存储中找不到，请联系管理员`);
  if (sha256Of(data) !== row.sha256) {
    throw Conflict(
      'archive_file_changed',
      `存储中的 ${row.fileName} 与归档时记录的 SHA-256 不符，已拒绝下载，请联系管理员`,
    );
  }
  return { row, data };
}
