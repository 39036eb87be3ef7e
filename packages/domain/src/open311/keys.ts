import { z } from 'zod';
import { line } from '../text';

/** An administrator issues a key to a submitting system (docs/operations.md, Open311). */
export const Open311KeyInput = z.strictObject({
  /** The system's name, as staff see it on each issue it files. */
  name: line().trim().min(2, '请填写系统名称（至少 2 个字）').max(60, '系统名称最多 60 字'),
  /** The one community (jurisdiction_id) it may submit to; left out = every community. */
  community: line().min(1).max(50).optional(),
});
export type Open311KeyInput = z.infer<typeof Open311KeyInput>;

/** A key as a list shows it: never the key itself, only its first characters. */
export const Open311KeyView = z.object({
  id: z.string(),
  name: z.string(),
  /** Community key, or null for every community. */
  community: z.string().nullable(),
  keyPrefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type Open311KeyView = z.infer<typeof Open311KeyView>;

/** The answer when a key is issued: the key, shown this once. */
export const Open311KeyIssued = Open311KeyView.extend({ key: z.string() });
export type Open311KeyIssued = z.infer<typeof Open311KeyIssued>;

/** Keys look like `o311_` + 32 random characters; the prefix shown in lists is the first 9. */
export const OPEN311_KEY_PREFIX = 'o311_';
export const OPEN311_KEY_SHOWN = 9;
