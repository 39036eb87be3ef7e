import { type QrResolution, resolveQrTarget } from '@gongzhi/domain';
import { verifyQrCode } from '../../lib/qr-sign';
import type { ServiceContext } from '../context';

/** A scanned code → what the complaint form fills in. qr_invalid (400) or qr_unknown_target (404). */
export function resolveQrCode({
  ctx,
  secret,
  code,
}: {
  ctx: Pick<ServiceContext, 'communities'>;
  secret: string;
  code: string;
}): QrResolution {
  return resolveQrTarget(ctx.communities, verifyQrCode(secret, code));
}
