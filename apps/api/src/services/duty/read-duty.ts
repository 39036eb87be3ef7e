import {
  addDays,
  type Community,
  type DutyRangeQuery,
  isPublicDate,
  type MyShiftsQuery,
  nextDutyChange,
  OnDutyNowView,
  ORG_NAMES,
  onDutyAt,
  ROTA_MONTH_STATUS_NAMES,
  type RotaView,
  rotaActions,
  rotaGaps,
  rotaMonthStatus,
  rotaMonthsOf,
} from '@gongzhi/domain';
import type { Db, Tx } from '../../db/client';
import { type CacheableAnswer, entityTag } from '../../lib/etag';
import { communityId } from '../communities/community-id';
import { getCommunity, type ServiceContext } from '../context';
import {
  type DutySetup,
  dutySetupOf,
  endOf,
  loadMonthRows,
  loadPublishedShiftRows,
  loadShiftRows,
  myCommunity,
  peopleWithChoices,
  publicContactOf,
  requireRange,
  requireStaff,
  shiftViewerOf,
  sortShiftRows,
  startOf,
  todayIn,
  toRotaShift,
  toShiftView,
} from './duty-setup';

/** The longest range one read returns: a year and a day. */
export const MAX_READ_DAYS = 366;
/** My shifts without a range: from today for this many days. */
const MY_SHIFTS_DAYS = 60;

/** The rota of [from, to] with the places still unfilled, drafts included (staff only). */
export async function getRota(ctx: ServiceContext, key: string, q: DutyRangeQuery): Promise<RotaView> {
  const community = getCommunity(ctx, key);
  requireStaff(ctx, community);
  const { from, to } = requireRange(q.from, q.to, MAX_READ_DAYS, 'querystring');
  const setup = dutySetupOf(ctx, community);
  return rotaViewOf(ctx, ctx.db, setup, await communityId(ctx.db, key), from, to);
}

/**
 * The rota page's view of [from, to]: every stored shift (drafts too: the page is where they are
 * worked on), the gaps, each month's publication status and what the caller may do.
 */
export async function rotaViewOf(
  ctx: ServiceContext,
  db: Db | Tx,
  setup: DutySetup,
  cid: string,
  from: string,
  to: string,
): Promise<RotaView> {
  const community = setup.community;
  const viewer = shiftViewerOf(ctx, community);
  const all = sortShiftRows(setup, await loadShiftRows(db, cid, from, to));
  const records = await loadMonthRows(db, cid, from, to);
  // A draft is the rota managers' working copy: other staff see the month as not published yet.
  const drafts = new Set([...records.values()].filter((r) => r.publishedAt === null).map((r) => r.month));
  const shown = (date: string) => viewer.managesRota || isPublicDate(date, drafts);
  const rows = all.filter((r) => shown(r.date));
  const months = rotaMonthsOf(from, to).map((month) => {
    const record = records.get(month);
    const status = rotaMonthStatus(
      record,
      all.some((r) => r.date.startsWith(month)),
    );
    return {
      month,
      status,
      statusName: ROTA_MONTH_STATUS_NAMES[status],
      publishedAt: record?.publishedAt?.toISOString() ?? null,
      publishedBy: record?.publishedBy
        ? (community.people.get(record.publishedBy)?.name ?? record.publishedBy)
        : null,
    };
  });
  return {
    community: community.key,
    from,
    to,
    shifts: rows.map((r) => toShiftView(setup, r, viewer)),
    gaps: rotaGaps({
      from,
      to,
      config: setup.config,
      dayKind: setup.dayKind,
      shifts: rows.map(toRotaShift),
    }).filter((g) => shown(g.date)),
    months,
    allowedActions: rotaActions(
      months.map((m) => m.status),
      viewer,
    ),
  };
}

/** The caller's own shifts, from today for 60 days unless a range is given. */
export async function myShifts(ctx: ServiceContext, q: MyShiftsQuery) {
  const { community, person } = myCommunity(ctx);
  const setup = dutySetupOf(ctx, community);
  const today = todayIn(setup, ctx.now());
  const from = q.from ?? today;
  const to = q.to ?? addDays(from, MY_SHIFTS_DAYS - 1);
  requireRange(from, to, MAX_READ_DAYS, 'querystring');
  const cid = await communityId(ctx.db, community.key);
  // From today by default — and last night's shift while it still runs (after midnight it is
  // yesterday's, yet it is the one the person is on now).
  const rows = await loadPublishedShiftRows(ctx.db, cid, q.from ? from : addDays(from, -1), to, person);
  const viewer = shiftViewerOf(ctx, community);
  const now = ctx.now().getTime();
  const shifts = sortShiftRows(setup, rows)
    .map((r) => toShiftView(setup, r, viewer))
    .filter((v) => q.from || v.date >= from || Date.parse(v.end) > now);
  return { from, to, shifts };
}

/** How long an answer of "who is on duty now" is kept at most (another instance's rota change shows within it). */
export const DUTY_NOW_TTL_MS = 30_000;

interface CachedDutyNow {
  body: string;
  etag: string;
  /** The configuration it was worked out from: a new one (a config change) is a new answer. */
  community: Community;
  from: number;
  until: number;
}

/**
 * The answers of this process, per database handle and community, with a version per community
 * that every rota write made through this process raises (rotaChanged): an answer worked out
 * while a write committed is not kept.
 */
const dutyNowCache = new WeakMap<
  Db,
  { answers: Map<string, CachedDutyNow>; versions: Map<string, number> }
>();
function dutyNowStateOf(db: Db) {
  let state = dutyNowCache.get(db);
  if (!state) {
    state = { answers: new Map(), versions: new Map() };
    dutyNowCache.set(db, state);
  }
  return state;
}

/**
 * A rota write of this community committed (generation, publication, override, swap, a person's
 * contact choice): the next "who is on duty now" is worked out anew. Call after the commit.
 */
export function rotaChanged(db: Db, key: string) {
  const state = dutyNowStateOf(db);
  state.versions.set(key, (state.versions.get(key) ?? 0) + 1);
  state.answers.delete(key);
}

/**
 * Who is on duty now, as the public route sends it: the answer worked out last, while it holds —
 * until the next shift start or end or local midnight (nextDutyChange), at most DUTY_NOW_TTL_MS,
 * and until a rota write through this process (rotaChanged) or a configuration change.
 */
export async function onDutyNowAnswer(ctx: ServiceContext, key: string): Promise<CacheableAnswer> {
  const community = getCommunity(ctx, key);
  const state = dutyNowStateOf(ctx.db);
  const now = ctx.now().getTime();
  let cached = state.answers.get(key);
  if (!cached || cached.community !== community || now < cached.from || now >= cached.until) {
    const version = state.versions.get(key);
    const { view, changesAt } = await onDutyNow(ctx, community);
    const body = JSON.stringify(OnDutyNowView.parse(view));
    cached = {
      body,
      etag: entityTag(body),
      community,
      from: now,
      until: Math.min(now + DUTY_NOW_TTL_MS, changesAt.getTime()),
    };
    if (state.versions.get(key) === version) state.answers.set(key, cached);
  }
  return {
    body: cached.body,
    etag: cached.etag,
    maxAgeSeconds: Math.floor((cached.until - now) / 1000),
  };
}

/**
 * Who is on duty now (public, no login): the shifts covering this instant in the community's time
 * zone — at a handover only the incoming one, after midnight still last night's. Residents see a
 * name, the organisation and a phone only if the person chose to show it. With the instant the
 * answer may change next (a shift start or end, local midnight).
 */
async function onDutyNow(
  ctx: ServiceContext,
  community: Community,
): Promise<{ view: OnDutyNowView; changesAt: Date }> {
  const key = community.key;
  const setup = dutySetupOf(ctx, community);
  const now = ctx.now();
  const today = todayIn(setup, now);
  const cid = await communityId(ctx.db, key);
  const rows = await loadPublishedShiftRows(ctx.db, cid, addDays(today, -1), today);
  const shifts = rows.map((r) => ({ ...toRotaShift(r), row: r }));
  const on = sortShiftRows(setup, onDutyAt(shifts, setup.config.shifts, now, setup.timezone));
  const people = await peopleWithChoices(
    ctx.db,
    community,
    cid,
    on.map((s) => s.person),
  );
  const view = {
    community: key,
    communityName: community.name,
    at: now.toISOString(),
    onDuty: on.map((s) => ({
      name: people.get(s.person)?.name ?? s.person,
      org: s.org,
      orgName: ORG_NAMES[s.org],
      shiftName: setup.defs.get(s.shift)?.name ?? s.shift,
      start: startOf(setup, s).toISOString(),
      end: endOf(setup, s).toISOString(),
      contact: publicContactOf(people.get(s.person)),
    })),
  };
  return { view, changesAt: nextDutyChange(shifts, setup.config.shifts, now, setup.timezone) };
}
