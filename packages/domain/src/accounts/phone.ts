import { z } from 'zod';

/** The code of WeChat's getPhoneNumber button (new style: exchanged on the server, valid once, 5 minutes). */
export const PhoneCodeInput = z.strictObject({
  code: z.string().min(1, '缺少手机号授权 code').max(128, '手机号授权 code 无效'),
});
export type PhoneCodeInput = z.infer<typeof PhoneCodeInput>;

/** The caller's own phone as WeChat vouched for it: whole, for its owner only (null: none given). */
export const MyPhone = z.object({ phone: z.string().nullable() });
export type MyPhone = z.infer<typeof MyPhone>;
