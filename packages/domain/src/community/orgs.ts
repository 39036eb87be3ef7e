import { z } from 'zod';

/** The organisations a person can act for (docs/domain.md §1). */
export const ORGS = ['party', 'rc', 'oc', 'grid', 'property'] as const;
export const Org = z.enum(ORGS);
export type Org = z.infer<typeof Org>;

export const ORG_NAMES: Record<Org, string> = {
  party: '居民区党总支',
  rc: '居委会',
  oc: '业委会',
  grid: '网格巡查',
  property: '物业公司',
};

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export const Urgency = z.enum(URGENCIES);
export type Urgency = z.infer<typeof Urgency>;
