import { createHash } from 'node:crypto';
import path from 'node:path';
import { type Community, DomainError, formatConfigProblems } from '@gongzhi/domain';
import type { Db } from '../../db/client';
import { type CommunityConfigFile, ConfigInvalidError } from './load-community-configs';
import { refreshCommunityConfigs } from './refresh-community-configs';
import { latestVersionRow, latestYamlVersionRow, saveConfigVersion } from './save-config-version';

export const textHash = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The start rule (docs/adr/0008-community-configuration-versions.md), per YAML file:
 * - a community the database has no version of is created from its file as version 1;
 * - a file whose text changed since the version last read from it is imported as a new version
 *   (editing YAML and restarting still works in development);
 * - otherwise the database's latest version wins (edits made in the app survive restarts).
 * Communities the database knows without a file (imported with the CLI) are served too. Returns
 * the communities Map every service shares, at each community's latest version.
 */
export async function loadCommunityVersions(
  db: Db,
  files: CommunityConfigFile[],
  communities: Map<string, Community> = new Map(),
): Promise<{
  communities: Map<string, Community>;
  imported: { key: string; version: number; file: string }[];
}> {
  const imported: { key: string; version: number; file: string }[] = [];
  for (const f of files) {
    const key = f.community.key;
    const hash = textHash(f.text);
    const latest = await latestVersionRow(db, key);
    if (latest) {
      const lastRead = await latestYamlVersionRow(db, key);
      if (lastRead?.sourceHash === hash) continue;
    }
    const name = path.basename(f.file);
    try {
      const outcome = await saveConfigVersion(db, {
        key,
        make: () => ({ raw: f.community.config }),
        source: 'yaml',
        sourceHash: hash,
        author: { accountId: null, name: null },
        reason: latest ? `配置文件 ${name} 已修改，重新导入` : `由配置文件 ${name} 创建`,
      });
      if (outcome.saved) imported.push({ key, version: outcome.version, file: f.file });
    } catch (err) {
      // A changed file the rules refuse (e.g. it drops a person) stops the start, naming the file.
      if (err instanceof DomainError && err.details) {
        throw new ConfigInvalidError(
          `${err.message}\n${formatConfigProblems(
            f.file,
            err.details.map((d) => ({ path: d.path ?? '', message: d.message })),
          )}`,
        );
      }
      throw err;
    }
  }
  await refreshCommunityConfigs(db, communities);
  return { communities, imported };
}
