import { z } from 'zod';
import { zoneForBuilding } from '../community/lookup';
import type { ZoneConfig } from '../community/schema';
import type { Community } from '../community/validate';
import { DomainError, Invalid } from '../errors';
import { QR_TARGET_KINDS, type QrTarget } from './payload';

const NamedRef = z.object({ key: z.string(), name: z.string() });

/** What a scanned code fills into the complaint form. */
export const QrResolution = z.object({
  community: NamedRef,
  building: z.number().int().nullable(),
  zone: NamedRef,
  facility: NamedRef.nullable(),
  /** Preselected for a facility (a lift car → elevator); null for a building or zone. */
  category: NamedRef.nullable(),
});
export type QrResolution = z.infer<typeof QrResolution>;

/** One printable code: its target, the code and the URL the QR image encodes. */
export const QrCodeEntry = QrResolution.omit({ community: true }).extend({
  kind: z.enum(QR_TARGET_KINDS),
  code: z.string(),
  url: z.string(),
});
export type QrCodeEntry = z.infer<typeof QrCodeEntry>;

export const QrCodeList = z.object({ community: NamedRef, codes: z.array(QrCodeEntry) });
export type QrCodeList = z.infer<typeof QrCodeList>;

export const QrLink = z.object({ url: z.string(), code: z.string() });
export type QrLink = z.infer<typeof QrLink>;

export const QR_INVALID_MESSAGE = '二维码无效或已被篡改，请扫描楼内张贴的官方二维码';
export const QR_UNKNOWN_TARGET_MESSAGE =
  '这个二维码对应的楼栋或设施已不在本小区登记，请联系居委会或物业更换二维码';

/** Forged, edited or malformed: all the same to a resident, and to an attacker. */
export const qrInvalid = () => Invalid('qr_invalid', QR_INVALID_MESSAGE);

/** Signed by us, but the config no longer has what it names (a facility removed, a range changed). */
export const qrUnknownTarget = (detail: string) =>
  new DomainError('not_found', 'qr_unknown_target', QR_UNKNOWN_TARGET_MESSAGE, [{ message: detail }]);

const ref = (x: { key: string; name: string }) => ({ key: x.key, name: x.name });

/** The target against the current config: a facility follows the config if it is moved. */
export function resolveQrTarget(communities: ReadonlyMap<string, Community>, target: QrTarget): QrResolution {
  const community = communities.get(target.community);
  if (!community) throw qrUnknownTarget(`小区 "${target.community}" 不存在`);
  const base = { community: ref(community), building: null, facility: null, category: null };
  switch (target.kind) {
    case 'building': {
      const zone = zoneForBuilding(community, target.building);
      if (!zone) throw qrUnknownTarget(`${target.building} 号楼不属于任何责任区域`);
      return { ...base, building: target.building, zone: ref(zone) };
    }
    case 'zone': {
      const zone = community.zones.get(target.zone);
      if (!zone) throw qrUnknownTarget(`区域 "${target.zone}" 不存在`);
      return { ...base, zone: ref(zone) };
    }
    case 'facility': {
      const facility = community.facilities.get(target.facility);
      if (!facility) throw qrUnknownTarget(`设施 "${target.facility}" 不存在`);
      // A validated config guarantees the zone and category exist.
      const zone: ZoneConfig =
        facility.building !== undefined
          ? zoneForBuilding(community, facility.building)!
          : community.zones.get(facility.zone!)!;
      return {
        ...base,
        building: facility.building ?? null,
        zone: ref(zone),
        facility: ref(facility),
        category: ref(community.categories.get(facility.category)!),
      };
    }
  }
}

/**
 * Everything that gets a poster, in print order: each numbered building, each zone without
 * numbered buildings (its residents name the zone instead), then each facility.
 */
export function qrTargetsOf(community: Community): QrTarget[] {
  const c = community.key;
  const buildings = community.ranges.flatMap((r) =>
    Array.from({ length: r.to - r.from + 1 }, (_, i) => ({
      community: c,
      kind: 'building' as const,
      building: r.from + i,
    })),
  );
  const zones = community.config.zones
    .filter((z) => z.buildings.length === 0)
    .map((z) => ({ community: c, kind: 'zone' as const, zone: z.key }));
  const facilities = community.config.facilities.map((f) => ({
    community: c,
    kind: 'facility' as const,
    facility: f.key,
  }));
  return [...buildings, ...zones, ...facilities];
}
