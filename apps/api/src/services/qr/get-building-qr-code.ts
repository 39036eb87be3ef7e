import type { QrLink } from '@gongzhi/domain';
import { NotFound, zoneForBuilding } from '@gongzhi/domain';
import { type QrKeys, qrUrl, signQrTarget } from '../../lib/qr-sign';
import { getCommunity, type ServiceContext } from '../context';

/** The code of one numbered building. Public: the same code hangs in the stairwell. */
export function getBuildingQrCode({
  ctx,
  qr,
  communityKey,
  building,
}: {
  ctx: Pick<ServiceContext, 'communities'>;
  qr: QrKeys;
  communityKey: string;
  building: number;
}): QrLink {
  const community = getCommunity(ctx, communityKey);
  if (!zoneForBuilding(community, building)) {
    throw NotFound('building_not_found', `${building} 号楼不属于${community.name}的任何责任区域`);
  }
  const code = signQrTarget(qr.secret, { community: community.key, kind: 'building', building });
  return { url: qrUrl(qr.publicUrl, code), code };
}
