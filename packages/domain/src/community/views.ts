import { z } from 'zod';
import { PersonRef } from '../issues/person-ref';
import { ConfigDiffEntry } from './diff';
import { Org } from './schema';

/** How a configuration version came to be. */
export const CONFIG_SOURCES = ['yaml', 'app', 'import'] as const;
export const ConfigSource = z.enum(CONFIG_SOURCES);
export type ConfigSource = z.infer<typeof ConfigSource>;

export const CONFIG_SOURCE_NAMES: Record<ConfigSource, string> = {
  yaml: '配置文件',
  app: '在线修改',
  import: '命令行导入',
};

/** One version of a community's configuration: who, when, why, and what changed. */
export const ConfigVersionView = z.object({
  version: z.number().int(),
  source: ConfigSource,
  /** The account that made it (its display name), or null for a file read at start. */
  author: z.string().nullable(),
  reason: z.string(),
  createdAt: z.string(),
  diff: z.array(ConfigDiffEntry),
});
export type ConfigVersionView = z.infer<typeof ConfigVersionView>;

export const ConfigVersionPage = z.object({
  items: z.array(ConfigVersionView),
  /** Pass as `before` for the next (older) page; null at the first version. */
  nextBefore: z.number().int().nullable(),
});
export type ConfigVersionPage = z.infer<typeof ConfigVersionPage>;

/** Communities an administrator can edit, with their current version. */
export const AdminCommunityList = z.array(
  z.object({ key: z.string(), name: z.string(), version: z.number().int() }),
);
export type AdminCommunityList = z.infer<typeof AdminCommunityList>;

/** The people and roles of a community at one version: what the administrator's pages edit. */
export const CommunityPeopleView = z.object({
  key: z.string(),
  name: z.string(),
  version: z.number().int(),
  people: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      phone: z.string().nullable(),
      showContact: z.boolean(),
      active: z.boolean(),
      /** What the person holds, in words: "第一责任区域 · 物业公司", "电梯条线负责人". */
      roles: z.array(z.string()),
    }),
  ),
  zones: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      leader: PersonRef,
      members: z.array(PersonRef.extend({ org: Org })),
    }),
  ),
  lines: z.array(z.object({ key: z.string(), name: z.string(), leader: PersonRef.nullable() })),
  secretary: PersonRef.nullable(),
  leadershipGroup: z.object({ leader: PersonRef, members: z.array(PersonRef) }),
  /** 监督委员会 as the owners' assembly elected it; the chair is one of the members. */
  supervisoryCommittee: z.object({ chair: PersonRef.nullable(), members: z.array(PersonRef) }),
});
export type CommunityPeopleView = z.infer<typeof CommunityPeopleView>;

export const ConfigEditResult = z.object({
  version: ConfigVersionView,
  community: CommunityPeopleView,
});
export type ConfigEditResult = z.infer<typeof ConfigEditResult>;
