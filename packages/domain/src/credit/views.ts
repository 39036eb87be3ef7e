import { z } from 'zod';
import { ORGS } from '../community/schema';
import { CreditScore } from './score';

export const CreditQuery = z.strictObject({
  org: z.enum(ORGS, '请选择单位：party、rc、oc、grid 或 property'),
  /** A quarter (2026Q3), a month (2026-07), or from/to dates, as for the KPIs. */
  period: z.string().max(30).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
});
export type CreditQuery = z.infer<typeof CreditQuery>;

const CountRatioView = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  value: z.number().nullable(),
});

/** The credit file (诚信档案) of one organisation for one period. */
export const CreditFileView = z.object({
  community: z.object({ key: z.string(), name: z.string() }),
  org: z.string(),
  orgName: z.string(),
  period: z.object({ key: z.string(), label: z.string(), from: z.string(), to: z.string() }),
  letters: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      kind: z.enum(['reminder', 'warning']),
      kindName: z.string(),
      createdAt: z.string(),
      acknowledgedAt: z.string().nullable(),
    }),
  ),
  reminderLetters: z.number().int(),
  warningLetters: z.number().int(),
  lapses: z.number().int(),
  onTime: CountRatioView,
  satisfaction: CountRatioView,
  /** The residents' evaluation of the organisation in the period (only the property company is evaluated). */
  evaluation: z
    .object({ mean: z.number(), responses: z.number().int(), campaigns: z.array(z.string()) })
    .nullable(),
  evaluationNote: z.string(),
  score: CreditScore,
});
export type CreditFileView = z.infer<typeof CreditFileView>;
