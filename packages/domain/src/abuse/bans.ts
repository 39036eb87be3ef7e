import { z } from 'zod';

/**
 * The ban list (docs/security.md, abuse without collateral): complaints from a banned WeChat
 * account (openid) or phone are kept but hidden and never dispatched; the reporter is not told.
 */
export const BAN_KINDS = ['openid', 'phone'] as const;
export type BanKind = (typeof BAN_KINDS)[number];

export const BAN_KIND_NAMES: Record<BanKind, string> = { openid: '微信账号（openid）', phone: '手机号' };

export const BanInput = z.strictObject({
  kind: z.enum(BAN_KINDS),
  value: z.string().trim().min(1).max(128),
  reason: z.string().trim().min(2, '请填写原因').max(500),
});
export type BanInput = z.infer<typeof BanInput>;

export const BanView = z.object({
  id: z.string(),
  kind: z.enum(BAN_KINDS),
  value: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type BanView = z.infer<typeof BanView>;
