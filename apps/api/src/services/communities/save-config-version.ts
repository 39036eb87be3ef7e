import { createHash } from 'node:crypto';
import {
  type Community,
  type CommunityConfig,
  type ConfigDiffEntry,
  type ConfigProblem,
  type ConfigSource,
  Conflict,
  canonicalJson,
  checkConfigSuccession,
  diffCommunityConfigs,
  type HolidayCalendar,
  Unprocessable,
  validateCommunityConfig,
} from '@gongzhi/domain';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { configVersionsTable } from '../../db/schema';
import { mirrorCommunity } from './sync-communities';

/**
 * SHA-256 of the config with object keys sorted: the database's jsonb does not keep key order,
 * and a config read back from it must hash like the one that was saved.
 */
export const configHashOf = (config: CommunityConfig) =>
  createHash('sha256').update(canonicalJson(config)).digest('hex');

export interface NewConfigVersion {
  key: string;
  /**
   * Builds the new config (unvalidated) from the latest saved one (null: none yet), inside the
   * transaction that holds the community's lock, so an edit is applied to what is really latest.
   * Returns problems when the change cannot even be applied.
   */
  make: (latest: CommunityConfig | null) => { raw: unknown } | { problems: ConfigProblem[] };
  /** The version the change was based on: 409 when another version has been saved since. */
  baseVersion?: number;
  source: ConfigSource;
  sourceHash?: string | null;
  author: { accountId: string | null; name: string | null };
  reason: string;
  /** When given, the config's `calendar` must be one of these. */
  calendars?: Map<string, HolidayCalendar>;
  /** When (the app's clock); default now. */
  at?: Date;
}

export type SaveOutcome =
  | { saved: true; version: number; community: Community; diff: ConfigDiffEntry[] }
  /** The new config equals the latest one: no version is written. */
  | { saved: false; version: number; community: Community };

/**
 * Save a community's next configuration version: validated by the same validator as the YAML,
 * refused (422, every problem with path and values) without writing anything; otherwise appended
 * with its diff against the previous version and mirrored into the community tables in the same
 * transaction. One writer per community at a time (a transaction-scoped advisory lock), on every
 * instance, so versions are numbered without gaps and the mirror never goes back to an older one.
 */
export async function saveConfigVersion(db: Db, input: NewConfigVersion): Promise<SaveOutcome> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`gongzhi-config:${input.key}`}))`);
    const latest = await latestVersionRow(tx, input.key);
    const latestVersion = latest?.version ?? 0;
    if (input.baseVersion !== undefined && input.baseVersion !== latestVersion) {
      throw Conflict(
        'config_version_stale',
        `配置已被他人修改（您基于第 ${input.baseVersion} 版，当前为第 ${latestVersion} 版），请刷新后重新修改`,
        [{ path: 'baseVersion', message: `当前版本为 ${latestVersion}`, currentVersion: latestVersion }],
      );
    }
    const previous = (latest?.config as CommunityConfig | undefined) ?? null;
    const made = input.make(previous);
    if ('problems' in made) throw refused(made.problems);
    const result = validateCommunityConfig(made.raw);
    if (!result.ok) throw refused(result.problems);
    const community = result.community;
    const problems: ConfigProblem[] = [];
    if (community.key !== input.key) {
      problems.push({
        path: 'key',
        message: `配置的 key "${community.key}" 与小区 "${input.key}" 不一致`,
        values: { key: community.key, expected: input.key },
      });
    }
    if (input.calendars && !input.calendars.has(community.config.calendar)) {
      problems.push({
        path: 'calendar',
        message: `节假日日历 "${community.config.calendar}" 不存在；已有：${[...input.calendars.keys()].join('、')}`,
        values: { calendar: community.config.calendar },
      });
    }
    if (previous) problems.push(...checkConfigSuccession(previous, community.config));
    if (problems.length) throw refused(problems);

    const configHash = configHashOf(community.config);
    if (latest && latest.configHash === configHash) {
      return { saved: false as const, version: latestVersion, community };
    }
    const diff = diffCommunityConfigs(previous, community.config);
    const version = latestVersion + 1;
    await tx.insert(configVersionsTable).values({
      communityKey: input.key,
      version,
      config: community.config,
      configHash,
      source: input.source,
      sourceHash: input.sourceHash ?? null,
      authorAccountId: input.author.accountId,
      authorName: input.author.name,
      reason: input.reason,
      diff,
      createdAt: input.at ?? new Date(),
    });
    await mirrorCommunity(tx, community);
    return { saved: true as const, version, community, diff };
  });
}

function refused(problems: ConfigProblem[]) {
  return Unprocessable(
    'config_invalid',
    `配置修改未通过校验（${problems.length} 处问题），未做任何修改：${problems[0]!.path ? `${problems[0]!.path}：` : ''}${problems[0]!.message}`,
    problems.map((p) => ({ path: p.path, message: p.message, ...(p.values ? { values: p.values } : {}) })),
  );
}

export async function latestVersionRow(db: Db | Tx, key: string) {
  const [row] = await db
    .select()
    .from(configVersionsTable)
    .where(eq(configVersionsTable.communityKey, key))
    .orderBy(desc(configVersionsTable.version))
    .limit(1);
  return row;
}

/** The latest version read from the YAML file at start (to tell whether the file changed since). */
export async function latestYamlVersionRow(db: Db | Tx, key: string) {
  const [row] = await db
    .select({ version: configVersionsTable.version, sourceHash: configVersionsTable.sourceHash })
    .from(configVersionsTable)
    .where(and(eq(configVersionsTable.communityKey, key), eq(configVersionsTable.source, 'yaml')))
    .orderBy(desc(configVersionsTable.version))
    .limit(1);
  return row;
}

/** A stored config back into a Community. It was valid when saved; the validator builds the lookups. */
export function communityFromStored(key: string, version: number, config: unknown): Community {
  const result = validateCommunityConfig(config);
  if (!result.ok) {
    // Only possible when a newer release tightened a rule: say which version and what, do not guess.
    throw new Error(
      `stored configuration ${key} v${version} no longer validates: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
  return result.community;
}
