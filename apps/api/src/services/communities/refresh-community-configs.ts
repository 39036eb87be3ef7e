import type { Community } from '@gongzhi/domain';
import { and, eq, max } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { configVersionsTable } from '../../db/schema';
import { communityFromStored } from './save-config-version';

/**
 * The version each community in an instance's communities Map is at. Kept beside the Map (which
 * every service already shares) rather than in it, so the Map stays what the domain expects.
 */
const versionsOf = new WeakMap<Map<string, Community>, Map<string, number>>();

function versions(communities: Map<string, Community>) {
  let v = versionsOf.get(communities);
  if (!v) {
    v = new Map();
    versionsOf.set(communities, v);
  }
  return v;
}

/** The version this instance serves for a community (0 when it has none from the database). */
export const servedVersion = (communities: Map<string, Community>, key: string) =>
  versions(communities).get(key) ?? 0;

/**
 * Serve a version: replace the entry in the shared Map in place, so every service (and the
 * background workers holding the same Map) sees it on its next read. Never goes back to an older
 * version: a slow poll that read version 5 cannot undo an edit to version 6 made meanwhile here.
 */
export function serveVersion(
  communities: Map<string, Community>,
  key: string,
  version: number,
  community: Community,
): boolean {
  const v = versions(communities);
  if ((v.get(key) ?? 0) >= version) return false;
  communities.set(key, community);
  v.set(key, version);
  return true;
}

/**
 * One poll: the latest version number of each community; those newer than what this instance
 * serves are loaded and served. The tables were mirrored when the version was saved, under the
 * community's lock; instances only update their memory (re-mirroring here could race a newer save
 * and put an older version back into the tables). Returns the keys that changed.
 */
export async function refreshCommunityConfigs(
  db: Db,
  communities: Map<string, Community>,
): Promise<string[]> {
  const latest = await db
    .select({ key: configVersionsTable.communityKey, version: max(configVersionsTable.version) })
    .from(configVersionsTable)
    .groupBy(configVersionsTable.communityKey);
  const changed: string[] = [];
  for (const { key, version } of latest) {
    if (version === null || version <= servedVersion(communities, key)) continue;
    const [row] = await db
      .select({ config: configVersionsTable.config })
      .from(configVersionsTable)
      .where(and(eq(configVersionsTable.communityKey, key), eq(configVersionsTable.version, version)));
    if (row && serveVersion(communities, key, version, communityFromStored(key, version, row.config))) {
      changed.push(key);
    }
  }
  return changed;
}

/** Poll every `intervalMs` (CONFIG_REFRESH_MS); 0 turns it off. Returns a stop function. */
export function startConfigRefresh(opts: {
  db: Db;
  communities: Map<string, Community>;
  intervalMs: number;
  log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}): () => void {
  if (opts.intervalMs <= 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshCommunityConfigs(opts.db, opts.communities)
      .then((changed) => {
        for (const key of changed) {
          opts.log.info(
            { community: key, version: servedVersion(opts.communities, key) },
            'configuration refreshed',
          );
        }
      })
      .catch((err) => opts.log.error({ err }, 'configuration refresh failed'))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
