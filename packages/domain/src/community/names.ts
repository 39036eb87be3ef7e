import type { Scope, Urgency } from './schema';

/** What a person reads for each urgency (docs/domain.md §4). */
export const URGENCY_NAMES: Record<Urgency, string> = {
  normal: '一般',
  urgent: '紧急',
  emergency: '应急（危及安全）',
};

/** Seed 004's five kinds of matters, as a reporter chooses among them. */
export const SCOPE_NAMES: Record<Scope, string> = {
  neighbour: '邻里之间',
  unit: '本单元',
  building: '本楼栋',
  estate: '小区公共',
  community: '涉及全社区',
};
