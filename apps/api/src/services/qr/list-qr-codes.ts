import type { Community } from '@gongzhi/domain';
import {
  type QrCodeEntry,
  type QrCodeList,
  type QrTarget,
  qrTargetsOf,
  resolveQrTarget,
} from '@gongzhi/domain';
import { type QrKeys, qrUrl, signQrTarget } from '../../lib/qr-sign';
import { getCommunity, type ServiceContext } from '../context';

/** One target as a printable entry: where it is, its code and its URL. */
export function qrEntryFor(community: Community, target: QrTarget, qr: QrKeys): QrCodeEntry {
  const { community: _, ...where } = resolveQrTarget(new Map([[community.key, community]]), target);
  const code = signQrTarget(qr.secret, target);
  return { kind: target.kind, ...where, code, url: qrUrl(qr.publicUrl, code) };
}

/** Every code an admin prints for a community: buildings, zones without numbers, facilities. */
export function listQrCodes({
  ctx,
  qr,
  communityKey,
}: {
  ctx: Pick<ServiceContext, 'communities'>;
  qr: QrKeys;
  communityKey: string;
}): QrCodeList {
  const community = getCommunity(ctx, communityKey);
  return {
    community: { key: community.key, name: community.name },
    codes: qrTargetsOf(community).map((t) => qrEntryFor(community, t, qr)),
  };
}
