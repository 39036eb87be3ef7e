import path from 'node:path';
import { type Community, validateCommunityConfig } from '@gongzhi/domain';
import { loadCommunityConfigs } from '../communities/load-community-configs';

/** The community every generated one copies: 夏朵园, with its zones, lines, people and categories. */
export const DEMO_BASE_COMMUNITY = 'xiaduoyuan';

/**
 * `count` copies of one community config under other keys (`keyOf(n)`, `nameOf(n)` for n = from …
 * from + count − 1): the same zones, lines, people and categories, validated like any config. The
 * benches and the demo-data generator load their communities through this one function.
 */
export function copiesOfCommunity(
  configDir: string,
  opts: { from?: number; count: number; keyOf: (n: number) => string; nameOf: (n: number) => string },
  baseKey = DEMO_BASE_COMMUNITY,
): Map<string, Community> {
  const base = loadCommunityConfigs(path.resolve(configDir)).get(baseKey);
  if (!base) throw new Error(`no community "${baseKey}" in ${configDir}`);
  const out = new Map<string, Community>();
  const from = opts.from ?? 0;
  for (let n = from; n < from + opts.count; n++) {
    const key = opts.keyOf(n);
    const r = validateCommunityConfig({ ...structuredClone(base.config), key, name: opts.nameOf(n) });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    out.set(key, r.community);
  }
  return out;
}
