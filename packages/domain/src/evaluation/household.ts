import { z } from 'zod';
import { type PersonRoles, zoneForBuilding } from '../community/lookup';
import type { ZoneConfig } from '../community/schema';
import type { Community } from '../community/validate';
import { Conflict, Forbidden, Invalid } from '../errors';

/**
 * A household (户) is a building number and a room in one community. The config knows buildings,
 * not rooms, so a room is what the resident or the code slip says, normalised to one spelling:
 * "3单元302室", "3-302" and "３－３０２" are all household 12/3-302. A resident account names its
 * household through a verified binding; a one-time code names the household printed on its slip.
 * Whatever the channel, a response is recorded against (building, room), once per campaign.
 */
export interface Household {
  building: number;
  /** Normalised: digits and capital letters, unit and room joined by "-" ("302", "3-302"). */
  room: string;
}

export const BuildingNumber = z
  .number('楼号应为数字')
  .int('楼号应为整数')
  .min(1, '楼号应为正整数')
  .max(9999, '楼号最多 4 位');
export const RoomText = z.string().trim().min(1, '请填写房号').max(20, '房号最多 20 个字');

const ROOM = /^[0-9A-Z]{1,6}(-[0-9A-Z]{1,6}){0,2}$/;

/** A building written at the start of the room text: "12号楼", "12栋", "12幢", "12座". */
const BUILDING_PREFIX = /^(\d+)(号楼|栋|幢|座)/;

/**
 * The one canonical form of a room, which decides "one household" for every credential (a
 * verified home, a one-time code): NFKC (full-width digits and letters), upper case, no spaces,
 * no 室/户/房/号 suffix, 单元/号/dashes/slashes as the one separator "-", and no leading zeros in a
 * numeric part ("0302" and "302" are one room; "3单元0302室" is "3-302"). A building written
 * in front ("12号楼3单元302室") is returned apart, for the caller to check against the building.
 * Null when the text is not a room number. Pure.
 */
export function parseRoom(text: string): { building: number | null; room: string } | null {
  let s = text.normalize('NFKC').toUpperCase().replace(/\s+/g, '');
  const prefix = BUILDING_PREFIX.exec(s);
  if (prefix) s = s.slice(prefix[0].length);
  s = s
    .replace(/[室户房]$/, '')
    .replace(/(单元|号|[-—–_/])/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .split('-')
    .map((part) => (/^\d+$/.test(part) ? String(Number.parseInt(part, 10)) : part))
    .join('-');
  if (!ROOM.test(s)) return null;
  return { building: prefix ? Number.parseInt(prefix[1]!, 10) : null, room: s };
}

/** One spelling per room, or null when the text is not a room number (see parseRoom). */
export function normalizeRoom(text: string): string | null {
  return parseRoom(text)?.room ?? null;
}

/** The room as a person reads it: "12号楼3单元302室", "12号楼302室". */
export function householdLabel(h: Household): string {
  const parts = h.room.split('-');
  const room = parts.pop()!;
  const unit = parts.length ? `${parts.join('-')}单元` : '';
  return `${h.building}号楼${unit}${room}室`;
}

/**
 * The household a request names, with its zone. A building in a numbered range belongs to that
 * zone; a building no range covers may still be in a zone whose range is not confirmed (zone 4)
 * or that has no numbers, when the resident names that zone.
 */
export function resolveHousehold(
  community: Community,
  input: { building: number; room: string; zone?: string | undefined },
  path: { building: string; room: string; zone: string } = {
    building: 'body.building',
    room: 'body.room',
    zone: 'body.zone',
  },
): Household & { zone: ZoneConfig } {
  const parsed = parseRoom(input.room);
  if (!parsed) {
    throw Invalid('room_invalid', `房号“${input.room}”无法识别，请写成 302 或 3单元302室`, [
      { path: path.room, message: '房号只能包含数字、字母，单元与房号可用“单元”或“-”分隔' },
    ]);
  }
  if (parsed.building !== null && parsed.building !== input.building) {
    throw Invalid(
      'room_building_mismatch',
      `房号中写的是 ${parsed.building} 号楼，与所填的 ${input.building} 号楼不符`,
      [{ path: path.room, message: `房号中的楼号 ${parsed.building} 与楼号不符` }],
    );
  }
  const room = parsed.room;
  const byRange = zoneForBuilding(community, input.building);
  if (byRange) {
    if (input.zone !== undefined && input.zone !== byRange.key) {
      throw Invalid('building_zone_mismatch', `${input.building} 号楼属于${byRange.name}，与所选区域不符`, [
        { path: path.zone, message: `${input.building} 号楼属于 ${byRange.key}` },
      ]);
    }
    return { building: input.building, room, zone: byRange };
  }
  if (input.zone === undefined) {
    throw Invalid('zone_required', `${input.building} 号楼不在已登记的楼号范围内，请选择所在的责任区域`, [
      { path: path.zone, message: '请选择所在的责任区域' },
    ]);
  }
  const zone = community.zones.get(input.zone);
  if (!zone) {
    throw Invalid('unknown_zone', `区域 "${input.zone}" 不存在`, [
      { path: path.zone, message: `可选区域：${[...community.zones.keys()].join('、')}` },
    ]);
  }
  if (zone.buildings.length > 0) {
    throw Invalid('building_not_in_zone', `${input.building} 号楼不在${zone.name}的楼号范围内`, [
      { path: path.building, message: `${zone.name}的楼号：${zone.buildings.join('、')}` },
    ]);
  }
  return { building: input.building, room, zone };
}

/** A resident's request to be recognised as living in a household, and what became of it. */
export const HOME_STATUSES = ['pending', 'verified', 'rejected', 'cancelled'] as const;
export const HomeStatus = z.enum(HOME_STATUSES);
export type HomeStatus = z.infer<typeof HomeStatus>;
export const HOME_STATUS_NAMES: Record<HomeStatus, string> = {
  pending: '待认证',
  verified: '已认证',
  rejected: '未通过',
  cancelled: '已解除',
};
/** An account holds at most one of these per community at a time. */
export const ACTIVE_HOME_STATUSES = ['pending', 'verified'] as const satisfies readonly HomeStatus[];

/**
 * Who verifies that a resident lives where they say: the zone's residents'-committee, owners'-
 * committee and grid people, who know the households. Not the property staff: the property
 * company is one of the parties being evaluated.
 */
export const mayVerifyHome = (roles: Pick<PersonRoles, 'zones'> | null, zone: string) =>
  !!roles?.zones.some((z) => z.zone === zone && z.org !== 'property' && z.org !== 'party');

/**
 * Who reads every zone's home requests (residents' names, rooms and phones): the secretary, the
 * leadership group that runs the evaluation, and administrators. Not the property manager, although
 * the manager reads every issue: the property company is one of the parties being evaluated, and
 * would otherwise see who is about to rate it.
 */
export const readsAllHomeRequests = (actor: { admin: boolean; roles: PersonRoles | null }) =>
  actor.admin || !!(actor.roles && (actor.roles.secretary || actor.roles.leadership));

export function assertMayVerifyHome(roles: PersonRoles | null, zone: string) {
  if (!mayVerifyHome(roles, zone)) {
    throw Forbidden(
      'not_zone_verifier',
      '只有该区域的居委会、业委会或网格人员可以认证住户（物业公司是被评议方，不参与认证）',
    );
  }
}

/** The verifier's decision on a pending request. */
export function decideHome(status: HomeStatus, approve: boolean): HomeStatus {
  if (status !== 'pending') {
    throw Conflict('home_request_decided', `该申请${HOME_STATUS_NAMES[status]}，不能再处理`);
  }
  return approve ? 'verified' : 'rejected';
}

/** The resident withdraws a request or gives up a binding (moving out). */
export function cancelHome(status: HomeStatus): HomeStatus {
  if (status !== 'pending' && status !== 'verified') {
    throw Conflict('home_not_active', `该房屋绑定${HOME_STATUS_NAMES[status]}，无需解除`);
  }
  return 'cancelled';
}

/** Which credential answered for a household. */
export const RESPONSE_CHANNELS = ['account', 'code'] as const;
export const ResponseChannel = z.enum(RESPONSE_CHANNELS);
export type ResponseChannel = z.infer<typeof ResponseChannel>;
export const RESPONSE_CHANNEL_NAMES: Record<ResponseChannel, string> = {
  account: '认证住户账号',
  code: '一次性评议码',
};

/**
 * Who binds a household to their account (我的房屋认证) and, once it is verified, answers with it:
 * residents' accounts; staff and administrators answer only with a household's code.
 */
export const bindsHome = (kind: 'resident' | 'staff' | 'admin') => kind === 'resident';

/**
 * The household identity rule: a signed-in resident answers for the household of their verified
 * binding; otherwise a one-time code answers for the household printed with it. One or the other
 * must be there; when both are, the code decides (a resident may hold a neighbour's slip for them).
 */
export function respondentHousehold(a: {
  code: { household: Household; used: boolean } | null;
  account: { kind: 'resident' | 'staff' | 'admin'; home: (Household & { status: HomeStatus }) | null } | null;
}): { channel: ResponseChannel; household: Household } {
  if (a.code) {
    if (a.code.used) throw Conflict('already_responded', '该户已参加本次评议，每户只能评议一次');
    return { channel: 'code', household: a.code.household };
  }
  if (!a.account) {
    throw Invalid('credential_required', '请输入评议码，或登录并认证您的房屋后再评议', [
      { path: 'body.code', message: '缺少评议码' },
    ]);
  }
  if (!bindsHome(a.account.kind)) {
    throw Forbidden('residents_only', '工作人员账号不能代居民评议，请使用居民账号或评议码');
  }
  const home = a.account.home;
  if (home?.status !== 'verified') {
    throw Forbidden(
      'home_not_verified',
      home?.status === 'pending'
        ? '您的房屋认证正在审核中，认证后即可评议'
        : '请先绑定并认证您的房屋，或使用评议码',
    );
  }
  return { channel: 'account', household: { building: home.building, room: home.room } };
}
