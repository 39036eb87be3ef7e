import { createHash } from 'node:crypto';
import {
  type Channel,
  type Community,
  type ComplaintCounts,
  type ComplaintInput,
  complaintLimitBreach,
  DomainError,
  decideIntake,
  decideRoute,
  Invalid,
  RateLimited,
  requireCategory,
  triageRoute,
  type Urgency,
} from '@gongzhi/domain';
import { and, eq, gt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { preparedSql } from '../../db/prepared';
import { accountsTable, bansTable, issuesTable } from '../../db/schema';
import { hashSecret, newSecret } from '../../lib/secrets';
import { submitPhotoChecks } from '../content-security/photo-checks';
import { type ContentSecurity, checkText } from '../content-security/wechat-security';
import type { ServiceContext } from '../context';
import { persistIssueRecord, photoOwnedBy } from '../issues/persist-issue';
import { counterHit, counterHitValues, hitCounter, hitState } from '../rate-limits/counters';
import { rowsOf } from '../rollup/refresh-issue-counts';
import { toComplaintView } from './to-complaint-view';
import { trackComplaint } from './track-complaint';

/**
 * Where a complaint comes from: a verified QR code's target, or (no code) the community and the
 * building or zone the resident chose on the home page — possibly neither.
 */
export interface ComplaintOrigin {
  community: Community;
  /** The QR code; null for a complaint without one. */
  code: string | null;
  zone: string | undefined;
  building: number | undefined;
  /** A facility code carries its category. */
  category: string | null;
  /**
   * Another system submitting for a resident (Open311, services/open311): the channel it comes in
   * by, the facts kept on the intake event (which key, which system), the reporter's name and pin.
   */
  system?: {
    channel: Channel;
    intake: Record<string, unknown>;
    reporterName: string | null;
    location: { lat: number; lng: number } | null;
  };
}

/**
 * The key the per-code limits count by: the QR code, or for a complaint without one the place the
 * resident chose (`place:<community>:<building|zone|->`), kept in `issues.qr_code` like a code.
 */
const limitKeyOf = (t: ComplaintOrigin) =>
  t.code ?? `place:${t.community.key}:${t.building !== undefined ? `b${t.building}` : (t.zone ?? '-')}`;

const HOUR_MS = 3600_000;

/** Who is complaining, as the limits count them. */
export interface ComplaintClient {
  /** The client's address key (lib/client-address.ts). */
  address: string;
}

/**
 * The hour's counts for this complaint (it included) and the rule's verdict
 * (`complaintLimitBreach`): accepted ordinary complaints per QR code and per account come from the
 * issues themselves; per (QR code, client) and emergencies per address are counters in the shared
 * rate-limit store. A signed-in resident is their own client; anyone else is their address.
 */
async function enforceComplaintLimits(
  ctx: ServiceContext,
  qrCode: string,
  urgency: Urgency,
  client: ComplaintClient,
  now: Date,
) {
  const accountId = ctx.principal?.accountId ?? null;
  const inWindow = (count: number, oldest: Date | string | null) => ({
    count: count + 1,
    resetInMs: oldest ? new Date(oldest).getTime() + HOUR_MS - now.getTime() : HOUR_MS,
  });
  let counts: ComplaintCounts;
  if (urgency === 'emergency') {
    const hit = await hitCounter(ctx.db, `complaints:emergency|${client.address}`, now, HOUR_MS);
    const none = { count: 0, resetInMs: 0 };
    counts = {
      perQr: none,
      perQrAddress: none,
      perAccount: null,
      emergenciesPerAddress: { count: hit.current, resetInMs: hit.ttl },
    };
  } else {
    const who = accountId ? `account:${accountId}` : client.address;
    const qrKey = createHash('sha256').update(qrCode).digest('base64url').slice(0, 22);
    // One round trip: the (QR code, client) counter's hit and the hour's accepted complaints of
    // the code and of the account (issues_qr_created, issues_reporter_created).
    const [row] = rowsOf<{
      hits: number;
      resetAt: Date | string;
      perQr: number;
      qrOldest: Date | string | null;
      perAccount: number;
      accountOldest: Date | string | null;
    }>(
      await complaintCounts(ctx.db, accountId !== null).execute({
        ...counterHitValues(`complaints:qr|${who}|${qrKey}`, now, HOUR_MS),
        qrCode,
        accountId,
        since: new Date(now.getTime() - HOUR_MS).toISOString(),
      }),
    );
    if (!row) throw new Error('rate limit counter upsert returned no row');
    const hit = hitState(row, now);
    counts = {
      perQr: inWindow(row.perQr, row.qrOldest),
      perQrAddress: { count: hit.current, resetInMs: hit.ttl },
      perAccount: accountId ? inWindow(row.perAccount, row.accountOldest) : null,
      emergenciesPerAddress: { count: 0, resetInMs: 0 },
    };
  }
  const breach = complaintLimitBreach(urgency, counts);
  if (breach) throw RateLimited('too_many_complaints', breach.message, breach.retryAfterMs);
}

/**
 * The (QR code, client) counter's hit and the hour's accepted complaints of the code and of the
 * account (issues_qr_created, issues_reporter_created), in one statement built once per database
 * and whether there is an account (db/prepared.ts).
 */
const complaintCounts = (db: Db, withAccount: boolean) =>
  preparedSql(db, `complaint_counts:${withAccount}`, () => {
    const i = issuesTable;
    const qrCode = sql.placeholder('qrCode');
    const accountId = sql.placeholder('accountId');
    return sql`
        with hit as ${counterHit(db)}
        select hit.hits as "hits", hit.reset_at as "resetAt", q.* from hit, (
          select count(*) filter (where ${i.qrCode} = ${qrCode})::int as "perQr",
                 min(${i.createdAt}) filter (where ${i.qrCode} = ${qrCode}) as "qrOldest",
                 ${withAccount ? sql`count(*) filter (where ${i.reporterAccountId} = ${accountId}::uuid)::int` : sql`0`} as "perAccount",
                 ${withAccount ? sql`min(${i.createdAt}) filter (where ${i.reporterAccountId} = ${accountId}::uuid)` : sql`null::timestamptz`} as "accountOldest"
            from ${i}
           where ${and(
             gt(i.createdAt, sql`${sql.placeholder('since')}::timestamptz`),
             ne(i.urgency, 'emergency'),
             or(
               eq(i.qrCode, qrCode),
               ...(withAccount ? [eq(i.reporterAccountId, sql`${accountId}::uuid`)] : []),
             ),
           )}) q`;
  });

const CONTENT_REFUSED = '内容未通过微信内容安全检测，请修改后再提交';

/**
 * WeChat's msgSecCheck of what a WeChat user wrote (description, spot). 'risky' refuses the
 * complaint (422 content_refused, naming the field); 'review' answers the fields to mark for staff.
 * Unchecked (WeChat not configured or failing) counts as pass: a complaint is never lost to it.
 */
async function checkComplaintText(cs: ContentSecurity | undefined, openid: string, input: ComplaintInput) {
  const fields: [string, string][] = [['body.description', input.description]];
  if (input.spot?.trim()) fields.push(['body.spot', input.spot]);
  const verdicts = await Promise.all(
    fields.map(async ([path, content]) => ({ path, suggest: await checkText(cs, { openid, content }) })),
  );
  const risky = verdicts.filter((v) => v.suggest === 'risky');
  if (risky.length) {
    throw new DomainError(
      'unprocessable',
      'content_refused',
      CONTENT_REFUSED,
      risky.map((v) => ({ path: v.path, message: CONTENT_REFUSED })),
    );
  }
  return verdicts.filter((v) => v.suggest === 'review').map((v) => v.path);
}

/**
 * A resident's complaint from a building or facility QR code. No account needed; with a WeChat
 * login the complaint also appears in "my complaints". The answer is a tracking code and a secret.
 *
 * Content security (`cs`, WeChat configured): the text and photos of a resident who signed in with
 * WeChat (an openid) are checked — the text before anything is written, the photos after the commit
 * (mediaCheckAsync; the verdict arrives later at POST /api/wechat/media-check). An anonymous
 * complaint has no openid to check with (WeChat's v2 checks require one) and is not checked.
 */
export async function submitComplaint(
  ctx: ServiceContext,
  target: ComplaintOrigin,
  input: ComplaintInput,
  client: ComplaintClient,
  cs?: ContentSecurity,
) {
  const { community } = target;
  const category = input.category ?? target.category;
  if (!category) {
    throw Invalid('category_required', '请选择问题类别', [
      { path: 'body.category', message: '请选择问题类别' },
    ]);
  }
  requireCategory(community, category, 'body.');
  // Where: a place routing can use, or the triage desk (never refused back to the resident).
  const intake = decideIntake(
    community,
    { zone: target.zone, building: target.building, category },
    target.code === null ? 'body.' : '',
  );
  const now = ctx.now();
  const accountId = ctx.principal?.accountId ?? null;
  const limitKey = limitKeyOf(target);
  await enforceComplaintLimits(ctx, limitKey, input.urgency, client, now);

  // A banned reporter (by openid or phone) is not told: the complaint is kept, hidden, never dispatched.
  const openid = accountId
    ? (
        await ctx.db
          .select({ o: accountsTable.wechatOpenid })
          .from(accountsTable)
          .where(eq(accountsTable.id, accountId))
      )[0]?.o
    : null;
  const banKeys = [
    ...(openid ? [and(eq(bansTable.kind, 'openid'), eq(bansTable.value, openid))] : []),
    ...(input.phone ? [and(eq(bansTable.kind, 'phone'), eq(bansTable.value, input.phone))] : []),
  ];
  const banned =
    banKeys.length > 0 &&
    (
      await ctx.db
        .select({ id: bansTable.id })
        .from(bansTable)
        .where(or(...banKeys))
    ).length > 0;

  const toReview = openid ? await checkComplaintText(cs, openid, input) : [];

  const facts = {
    zone: intake.zone,
    category,
    urgency: input.urgency,
    scope: 'building' as const,
    usesMaintenanceFund: false,
    touchesSharedParts: false,
    multiOrg: false,
  };
  const route = intake.placed
    ? decideRoute(facts, community)
    : triageRoute(community, intake.zone, intake.reasons);
  const secret = newSecret(18);
  const written = await persistIssueRecord(
    ctx,
    now,
    {
      community: community.key,
      zone: intake.zone,
      building: intake.building,
      spot: input.spot ?? null,
      category,
      description: input.description,
      urgency: input.urgency,
      scope: facts.scope,
      usesMaintenanceFund: false,
      touchesSharedParts: false,
      multiOrg: false,
      channel: target.system?.channel ?? (target.code === null ? 'resident_app' : 'resident_qr'),
      route,
      reporterAccountId: accountId,
      reporterActor: 'resident',
      reporterName: target.system?.reporterName ?? null,
      reporterPhone: input.phone ?? null,
      location: target.system?.location ?? null,
      trackingSecretHash: hashSecret(secret),
      qrCode: limitKey,
      hidden: banned,
      photoIds: input.photos.map((p) => p.id),
      photoOwner: photoOwnedBy(
        accountId,
        input.photos.flatMap((p) => (p.uploadToken ? [hashSecret(p.uploadToken)] : [])),
      ),
      photoPath: 'body.photos',
      // WeChat said 'review': accepted and dispatched, the intake event tells staff what to look at.
      intakeData: {
        ...target.system?.intake,
        ...(toReview.length ? { contentReview: { suggest: 'review', fields: toReview } } : {}),
        ...(intake.placed ? {} : { triage: intake.reasons }),
      },
      // A replay of this submission gives back the same secret (sealed with the key record).
      replayExtras: { secret },
    },
    ctx.idempotency,
  );
  if (openid) await submitPhotoChecks(ctx, cs, { openid, photoIds: input.photos.map((p) => p.id) });
  // The receipt shows the complaint as committed, built from what was just written (trackComplaint
  // would read the same rows back): a new issue has no rating, and is merged into nothing.
  const { issue } = written;
  const photos = written.photos
    .filter((p) => p.mediaCheck !== 'risky')
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  return {
    trackingCode: issue.code,
    secret,
    complaint: {
      ...toComplaintView(community, issue, { events: written.events, photos, rating: null }),
      mergedInto: null,
    },
  };
}

/**
 * Idempotent replay of a complaint whose response was never delivered (the process died after the
 * commit). The issue keeps only the secret's hash; the key record keeps the secret sealed with the
 * server key, so every replay gives the resident the same working receipt and nothing is re-issued.
 */
export async function replayComplaintReceipt(ctx: ServiceContext, issueId: string, secret: string) {
  const [row] = await ctx.db
    .select({ code: issuesTable.code })
    .from(issuesTable)
    .where(eq(issuesTable.id, issueId));
  return { trackingCode: row!.code, secret, complaint: await trackComplaint(ctx, row!.code, secret) };
}
