import {
  type Community,
  type ComplaintInput,
  DomainError,
  decideRoute,
  Invalid,
  requireCategory,
} from '@gongzhi/domain';
import { and, eq, gt, or, sql } from 'drizzle-orm';
import { accountsTable, bansTable, issuesTable } from '../../db/schema';
import { hashSecret, newSecret } from '../../lib/secrets';
import type { ServiceContext } from '../context';
import { persistIssue, photoOwnedBy } from '../issues/persist-issue';
import { trackComplaint } from './track-complaint';

/** Where a complaint comes from: a verified QR code's target. */
export interface ComplaintOrigin {
  community: Community;
  code: string;
  zone: string;
  building: number | null;
  /** A facility code carries its category. */
  category: string | null;
}

/** Per QR code and per reporter account, in an hour; the per-address limit is the route's. */
export const COMPLAINT_LIMITS = { perQrPerHour: 30, perAccountPerHour: 10 } as const;

const tooMany = (message: string) => new DomainError('rate_limited', 'too_many_complaints', message);

/**
 * A resident's complaint from a building or facility QR code. No account needed; with a WeChat
 * login the complaint also appears in "my complaints". The answer is a tracking code and a secret.
 */
export async function submitComplaint(ctx: ServiceContext, target: ComplaintOrigin, input: ComplaintInput) {
  const { community } = target;
  const category = input.category ?? target.category;
  if (!category) {
    throw Invalid('category_required', '请选择问题类别', [
      { path: 'body.category', message: '请选择问题类别' },
    ]);
  }
  requireCategory(community, category, 'body.');
  const now = ctx.now();
  const hourAgo = new Date(now.getTime() - 3600_000);
  const accountId = ctx.principal?.accountId ?? null;

  const [{ perQr, perAccount }] = (await ctx.db
    .select({
      perQr: sql<number>`count(*) filter (where ${issuesTable.qrCode} = ${target.code})::int`,
      perAccount: accountId
        ? sql<number>`count(*) filter (where ${issuesTable.reporterAccountId} = ${accountId})::int`
        : sql<number>`0`,
    })
    .from(issuesTable)
    .where(
      and(
        gt(issuesTable.createdAt, hourAgo),
        or(
          eq(issuesTable.qrCode, target.code),
          ...(accountId ? [eq(issuesTable.reporterAccountId, accountId)] : []),
        ),
      ),
    )) as [{ perQr: number; perAccount: number }];
  if (perQr >= COMPLAINT_LIMITS.perQrPerHour) {
    throw tooMany('这个二维码在一小时内收到的投诉过多，请稍后再试，或直接联系值班人员');
  }
  if (perAccount >= COMPLAINT_LIMITS.perAccountPerHour) {
    throw tooMany('您在一小时内提交的投诉过多，请稍后再试');
  }

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

  const facts = {
    zone: target.zone,
    category,
    urgency: input.urgency,
    scope: 'building' as const,
    usesMaintenanceFund: false,
    touchesSharedParts: false,
    multiOrg: false,
  };
  const route = decideRoute(facts, community);
  const secret = newSecret(18);
  const id = await persistIssue(
    ctx,
    now,
    {
      community: community.key,
      zone: target.zone,
      building: target.building,
      spot: input.spot ?? null,
      category,
      description: input.description,
      urgency: input.urgency,
      scope: facts.scope,
      usesMaintenanceFund: false,
      touchesSharedParts: false,
      multiOrg: false,
      channel: 'resident_qr',
      route,
      reporterAccountId: accountId,
      reporterActor: 'resident',
      reporterName: null,
      reporterPhone: input.phone ?? null,
      trackingSecretHash: hashSecret(secret),
      qrCode: target.code,
      hidden: banned,
      photoIds: input.photos.map((p) => p.id),
      photoOwner: photoOwnedBy(
        accountId,
        input.photos.flatMap((p) => (p.uploadToken ? [hashSecret(p.uploadToken)] : [])),
      ),
      photoPath: 'body.photos',
    },
    ctx.idempotency,
  );
  const [row] = await ctx.db
    .select({ code: issuesTable.code })
    .from(issuesTable)
    .where(eq(issuesTable.id, id));
  return { trackingCode: row!.code, secret, complaint: await trackComplaint(ctx, row!.code, secret) };
}

/**
 * Idempotent replay of a complaint whose response was never delivered (the process died after the
 * commit). Only the secret's hash is stored, and the resident never received the secret, so a new
 * one is issued: nothing is duplicated and nothing is lost.
 */
export async function reissueComplaintReceipt(ctx: ServiceContext, issueId: string) {
  const secret = newSecret(18);
  const [row] = await ctx.db
    .update(issuesTable)
    .set({ trackingSecretHash: hashSecret(secret) })
    .where(eq(issuesTable.id, issueId))
    .returning({ code: issuesTable.code });
  return { trackingCode: row!.code, secret, complaint: await trackComplaint(ctx, row!.code, secret) };
}
