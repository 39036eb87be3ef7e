import { z } from 'zod';
import type { Community } from '../community/validate';
import { Forbidden } from '../errors';
import type { Actor } from '../issues/access';
import { Day, requiredText } from '../meetings/parse';
import { Cursor, line } from '../text';
import type { NoticeDraft } from './generators';
import { keepsHonorRoll } from './honor-keepers';

export { keepsHonorRoll };

/**
 * The residents' convention's red and black lists (红黑榜, seed 002: "小区居民履约情况上榜公开").
 * Entries are kept by the Party branch (the leadership group) and the owners' committee (业委会:
 * whoever the config lists in a zone for org `oc` or `party`). Each entry names who or what, the
 * list, the reason and the date; entries are never edited or deleted (append-only, migration
 * guard) — a mistake is answered by a new entry. They reach residents only through the notice
 * flow: a 红黑榜 notice generated from chosen entries, approved and published like any other.
 */
export const HONOR_LISTS = ['red', 'black'] as const;
export const HonorList = z.enum(HONOR_LISTS, '榜单应为 red（红榜）或 black（黑榜）');
export type HonorList = z.infer<typeof HonorList>;
export const HONOR_LIST_NAMES: Record<HonorList, string> = { red: '红榜', black: '黑榜' };

export function assertMayKeepHonorRoll(actor: Pick<Actor, 'roles'>) {
  if (!keepsHonorRoll(actor))
    throw Forbidden('not_honor_roll_keeper', '只有党组织（领导小组）和业委会成员可以记录红黑榜');
}

export const HonorEntryInput = z.strictObject({
  list: HonorList,
  /** Who or what is listed: a household, a building, a volunteer team. */
  subject: line('请填写上榜对象').trim().min(1, '请填写上榜对象').max(60, '上榜对象最多 60 字'),
  reason: requiredText('请填写上榜理由', 500),
  /** The day the behaviour happened or was found. */
  day: Day,
});
export type HonorEntryInput = z.infer<typeof HonorEntryInput>;

export const HonorEntryView = z.object({
  id: z.string(),
  list: HonorList,
  listName: z.string(),
  subject: z.string(),
  reason: z.string(),
  day: z.string(),
  recordedBy: z.string(),
  /** The keeper's organisation, in Chinese (党组织 / 业委会). */
  recordedFor: z.string(),
  recordedAt: z.string(),
  /** The published 红黑榜 notice carrying it, if any. */
  notice: z.object({ id: z.string(), number: z.string().nullable() }).nullable(),
});
export type HonorEntryView = z.infer<typeof HonorEntryView>;

export const HonorEntryPage = z.object({
  items: z.array(HonorEntryView),
  nextCursor: z.string().nullable(),
  /** Whether the caller keeps the lists (may record entries and draft the notice). */
  keeps: z.boolean(),
});
export type HonorEntryPage = z.infer<typeof HonorEntryPage>;

export const HonorEntriesQuery = z.strictObject({
  list: HonorList.optional(),
  cursor: Cursor,
  limit: z.coerce
    .number('每页条数应为数字')
    .int('每页条数应为整数')
    .min(1, '每页至少 1 条')
    .max(100, '每页最多 100 条')
    .default(20),
});
export type HonorEntriesQuery = z.infer<typeof HonorEntriesQuery>;

/** The keeper's organisation as recorded on an entry. */
export function honorKeeperOrg(actor: Pick<Actor, 'roles'>): string {
  if (actor.roles?.leadership || actor.roles?.zones.some((z) => z.org === 'party')) return '党组织';
  return '业委会';
}

const INDENT = '\u3000\u3000';
const dayText = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/**
 * A 红黑榜 notice from entries: the red list first, then the black, each entry with its date and
 * reason, in the order of their dates. Pure; the API loads the entries of the community.
 */
export function honorRollNotice(
  community: Pick<Community, 'name'>,
  entries: readonly { list: HonorList; subject: string; reason: string; day: string }[],
): NoticeDraft {
  const sections = HONOR_LISTS.flatMap((list) => {
    const of = entries.filter((e) => e.list === list).sort((a, b) => a.day.localeCompare(b.day));
    if (of.length === 0) return [];
    return [
      `${HONOR_LIST_NAMES[list]}（${list === 'red' ? '履约示范' : '违约提醒'}）`,
      ...of.map((e, i) => `${INDENT}${i + 1}. ${e.subject}（${dayText(e.day)}）：${e.reason}`),
    ];
  });
  const lists = HONOR_LISTS.filter((l) => entries.some((e) => e.list === l)).map((l) => HONOR_LIST_NAMES[l]);
  return {
    kind: 'honor_roll',
    title: `${community.name}居民公约履约情况${lists.join('、')}`,
    body: [
      `${INDENT}根据《${community.name}居民公约》和红黑榜制度，经小区党组织和业主委员会核实，现将居民履约情况公布如下：`,
      ...sections,
      `${INDENT}希望广大居民共同遵守居民公约，形成“我参与、我承诺、我遵守”的良好氛围。如有异议，请向居委会或业委会反映。`,
    ].join('\n'),
    zone: null,
  };
}
