import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Community, formatConfigProblems, parseCommunityConfigText } from '@gongzhi/domain';

export class ConfigInvalidError extends Error {}

/** Read and validate one config file; throws with every problem, each naming file and path. */
export function loadCommunityConfigFile(file: string): Community {
  return loadCommunityConfigText(file, readFileSync(file, 'utf8'));
}

/** Validate a config's YAML text; `file` names it in every problem. */
export function loadCommunityConfigText(file: string, text: string): Community {
  const result = parseCommunityConfigText(text);
  if (!result.ok) {
    throw new ConfigInvalidError(
      `社区配置无效（${result.problems.length} 处问题）：\n${formatConfigProblems(file, result.problems)}`,
    );
  }
  return result.community;
}

/** One community's YAML file: its text (whose hash tells whether it changed) and what it says. */
export interface CommunityConfigFile {
  file: string;
  text: string;
  community: Community;
}

/** Every `<key>.yaml` in the folder. Any invalid file stops the whole load: no partial start. */
export function readCommunityConfigFiles(dir: string): CommunityConfigFile[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) throw new ConfigInvalidError(`${dir} 中没有社区配置文件（*.yaml）`);
  const errors: string[] = [];
  const out: CommunityConfigFile[] = [];
  for (const f of files) {
    try {
      const file = path.join(dir, f);
      const text = readFileSync(file, 'utf8');
      const c = loadCommunityConfigText(file, text);
      // The file name is the community's address (config/communities/<key>.yaml): they must agree.
      const expectedKey = f.replace(/\.ya?ml$/, '');
      if (c.key !== expectedKey) {
        throw new ConfigInvalidError(`${file}: key: 配置的 key "${c.key}" 须与文件名 "${expectedKey}" 一致`);
      }
      out.push({ file, text, community: c });
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length > 0) throw new ConfigInvalidError(errors.join('\n'));
  return out;
}

/** Every `<key>.yaml` in the folder, by key (the CLI's dry-run commands read the files directly). */
export function loadCommunityConfigs(dir: string): Map<string, Community> {
  return new Map(readCommunityConfigFiles(dir).map((f) => [f.community.key, f.community]));
}
