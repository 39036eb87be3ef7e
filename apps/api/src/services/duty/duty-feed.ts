import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  addDays,
  type Community,
  Invalid,
  NotFound,
  rotaToEvents,
  toICalendar,
  Unauthorized,
} from '@gongzhi/domain';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { communitiesTable, dutyPreferencesTable, peopleTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { getCommunity, type ServiceContext } from '../context';
import {
  dutySetupOf,
  loadPublishedShiftRows,
  myCommunity,
  peopleWithChoices,
  requireRange,
  requireStaff,
  sortShiftRows,
  todayIn,
  toRotaShift,
} from './duty-setup';
import { MAX_READ_DAYS } from './read-duty';

/** What signing feed tokens and printing their URLs needs (from the app's settings). */
export interface FeedKeys {
  /** The JWT secret; the feed key is derived from it under its own label. */
  secret: string;
  publicUrl: string;
}

// A feed token is base64url(person id ‖ generation ‖ MAC), 16 + 4 + 16 bytes. Calendar apps cannot
// send a bearer token, so the URL itself is the credential: 128 bits of HMAC make it unguessable,
// and nothing secret is stored (the MAC is recomputed). Bumping the person's generation revokes it.
const MAC_BYTES = 16;
const TOKEN_BYTES = 16 + 4 + MAC_BYTES;
const FEED_WINDOW_PAST_DAYS = 31;
const FEED_WINDOW_FUTURE_DAYS = 180;

const feedKeyOf = (secret: string) => createHmac('sha256', secret).update('gongzhi/duty-feed/v1').digest();
const macOf = (secret: string, body: Buffer) =>
  createHmac('sha256', feedKeyOf(secret)).update(body).digest().subarray(0, MAC_BYTES);

export function signFeedToken(secret: string, personId: string, generation: number): string {
  const body = Buffer.alloc(20);
  Buffer.from(personId.replace(/-/g, ''), 'hex').copy(body, 0);
  body.writeUInt32BE(generation, 16);
  return Buffer.concat([body, macOf(secret, body)]).toString('base64url');
}

const feedNotFound = () => NotFound('feed_not_found', '日历订阅地址无效或已重置，请在“我的值班”中重新获取');

/** The person a feed token stands for, or 404: a forged, edited or reset token never reads anything. */
export async function verifyFeedToken(db: Db, secret: string, token: string) {
  if (!/^[A-Za-z0-9_-]{48}$/.test(token)) throw feedNotFound();
  const bytes = Buffer.from(token, 'base64url');
  // One spelling per token: trailing bits that decode to the same bytes are refused.
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) throw feedNotFound();
  const body = bytes.subarray(0, 20);
  if (!timingSafeEqual(macOf(secret, body), bytes.subarray(20))) throw feedNotFound();
  const hex = body.subarray(0, 16).toString('hex');
  const personId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const [row] = await db
    .select({
      key: peopleTable.key,
      active: peopleTable.active,
      community: communitiesTable.key,
      generation: dutyPreferencesTable.feedGeneration,
    })
    .from(peopleTable)
    .innerJoin(communitiesTable, eq(communitiesTable.id, peopleTable.communityId))
    .leftJoin(dutyPreferencesTable, eq(dutyPreferencesTable.personId, peopleTable.id))
    .where(eq(peopleTable.id, personId));
  if (!row?.active || (row.generation ?? 0) !== body.readUInt32BE(16)) throw feedNotFound();
  return { person: row.key, community: row.community };
}

async function personRow(db: Db, community: Community, person: string) {
  const [row] = await db
    .select({ id: peopleTable.id, generation: dutyPreferencesTable.feedGeneration })
    .from(peopleTable)
    .leftJoin(dutyPreferencesTable, eq(dutyPreferencesTable.personId, peopleTable.id))
    .where(
      and(eq(peopleTable.communityId, await communityId(db, community.key)), eq(peopleTable.key, person)),
    );
  if (!row) throw NotFound('person_not_found', '人员不存在');
  return { id: row.id, generation: row.generation ?? 0 };
}

function feedView(keys: FeedKeys, token: string) {
  const url = `${keys.publicUrl.replace(/\/+$/, '')}/api/duty/feeds/${token}.ics`;
  return { url, webcalUrl: url.replace(/^https?:/, 'webcal:'), token };
}

/** My calendar feed URL (the same one every time until I reset it). */
export async function myDutyFeed(ctx: ServiceContext, keys: FeedKeys) {
  const { community, person } = myCommunity(ctx);
  const p = await personRow(ctx.db, community, person);
  return feedView(keys, signFeedToken(keys.secret, p.id, p.generation));
}

/** A new feed URL; the old one stops working at once (it leaked, or a phone was lost). */
export async function resetDutyFeed(ctx: ServiceContext, keys: FeedKeys) {
  const { community, person } = myCommunity(ctx);
  const p = await personRow(ctx.db, community, person);
  const now = ctx.now();
  const [row] = await ctx.db
    .insert(dutyPreferencesTable)
    .values({ personId: p.id, feedGeneration: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: dutyPreferencesTable.personId,
      set: { feedGeneration: sql`${dutyPreferencesTable.feedGeneration} + 1`, updatedAt: now },
    })
    .returning({ generation: dutyPreferencesTable.feedGeneration });
  return feedView(keys, signFeedToken(keys.secret, p.id, row!.generation));
}

/** The window a feed covers unless asked: a month back, half a year ahead. */
function feedRange(
  community: Community,
  now: Date,
  q: { from?: string | undefined; to?: string | undefined },
) {
  const today = todayIn({ timezone: community.config.timezone }, now);
  const from = q.from ?? addDays(today, -FEED_WINDOW_PAST_DAYS);
  const to = q.to ?? addDays([from, today].sort()[1]!, FEED_WINDOW_FUTURE_DAYS);
  return requireRange(from, to, MAX_READ_DAYS + FEED_WINDOW_PAST_DAYS, 'querystring');
}

/**
 * Who may read a community's whole rota without logging in: the holder of a feed token of a
 * person of that community (calendar apps and printed-notice links cannot send a bearer token).
 * A bearer token, when sent, is checked as usual instead.
 */
export async function requireRotaReader(
  ctx: ServiceContext,
  keys: FeedKeys,
  community: Community,
  feed?: string,
) {
  if (ctx.principal) {
    requireStaff(ctx, community);
    return;
  }
  if (!feed) throw Unauthorized('token_missing', '请先登录，或使用“我的值班”中的日历订阅地址');
  const holder = await verifyFeedToken(ctx.db, keys.secret, feed);
  if (holder.community !== community.key) throw feedNotFound();
}

/** The community's rota as an iCalendar feed. */
export async function communityFeed(
  ctx: ServiceContext,
  keys: FeedKeys,
  key: string,
  q: { feed?: string | undefined; from?: string | undefined; to?: string | undefined },
) {
  const community = getCommunity(ctx, key);
  await requireRotaReader(ctx, keys, community, q.feed);
  const { from, to } = feedRange(community, ctx.now(), q);
  const setup = dutySetupOf(ctx, community);
  const cid = await communityId(ctx.db, key);
  const rows = sortShiftRows(setup, await loadPublishedShiftRows(ctx.db, cid, from, to));
  const people = await peopleWithChoices(ctx.db, community, cid);
  return toICalendar({
    name: `${community.name}值班表`,
    timezone: setup.timezone,
    events: rotaToEvents(
      rows.map(toRotaShift),
      setup.config.shifts,
      { ...community, people },
      setup.timezone,
    ),
    now: ctx.now(),
  });
}

/** One person's shifts as an iCalendar feed, read with their feed token. */
export async function personFeed(ctx: ServiceContext, keys: FeedKeys, token: string) {
  const holder = await verifyFeedToken(ctx.db, keys.secret, token);
  const community = getCommunity(ctx, holder.community);
  const { from, to } = feedRange(community, ctx.now(), {});
  const setup = dutySetupOf(ctx, community);
  const cid = await communityId(ctx.db, community.key);
  const rows = await loadPublishedShiftRows(ctx.db, cid, from, to, holder.person);
  const people = await peopleWithChoices(ctx.db, community, cid, [holder.person]);
  return toICalendar({
    name: `${community.name} · ${people.get(holder.person)?.name ?? holder.person}的值班`,
    timezone: setup.timezone,
    events: rotaToEvents(
      sortShiftRows(setup, rows).map(toRotaShift),
      setup.config.shifts,
      { ...community, people },
      setup.timezone,
    ),
    now: ctx.now(),
  });
}

export const badFeedPath = () =>
  Invalid('feed_path_invalid', '日历订阅地址应以 .ics 结尾', [{ path: 'params.token', message: '格式无效' }]);
