import { z } from 'zod';
import { Org } from '../community/schema';
import { Cursor } from '../text';
import { LETTER_ACTIONS, LetterKind } from './letters';
import { LETTER_LIST_ACTIONS } from './letters-by-hand';

export const LetterView = z.object({
  id: z.string(),
  number: z.string(),
  kind: LetterKind,
  kindName: z.string(),
  org: Org,
  orgName: z.string(),
  text: z.string(),
  issues: z.array(z.object({ id: z.string(), code: z.string() })),
  createdAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgeNote: z.string().nullable(),
  /** What the caller may do to it now (`letterActions`): `acknowledge` for its organisation's people. */
  allowedActions: z.array(z.enum(LETTER_ACTIONS)),
});
export type LetterView = z.infer<typeof LetterView>;

export const LetterPage = z.object({
  items: z.array(LetterView),
  nextCursor: z.string().nullable(),
  /** What the caller may do on the page (`letterListActions`): `issue` a letter by hand. */
  allowedActions: z.array(z.enum(LETTER_LIST_ACTIONS)),
});
export type LetterPage = z.infer<typeof LetterPage>;

export const ListLettersQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  org: Org.optional(),
  unacknowledged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type ListLettersQuery = z.infer<typeof ListLettersQuery>;

export const AcknowledgeLetterInput = z.strictObject({
  note: z.string().trim().max(1000, '回复最多 1000 字').optional(),
});
