import { randomInt } from 'node:crypto';
import {
  applyTransition,
  type Channel,
  deadlinesFor,
  type RouteDecision,
  type Scope,
  type Urgency,
} from '@gongzhi/domain';
import { eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issueEventsTable, issuesTable, photosTable } from '../../db/schema';
import { type IdempotencyRef, recordIdempotentCommit } from '../../plugins/idempotency';
import { communityId } from '../communities/community-id';
import { calendarOf, getCommunity, type ServiceContext } from '../context';
import { attachPhotos } from '../photos/attach-photos';
import { openReportBacks, openTasks } from '../tasks/open-tasks';
import { appendEvent } from './append-event';

// No 0/O, 1/I/L: codes are read aloud and typed from paper.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newIssueCode = () =>
  Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

export interface NewIssue {
  community: string;
  zone: string;
  building: number | null;
  spot: string | null;
  category: string;
  description: string;
  urgency: Urgency;
  scope: Scope;
  usesMaintenanceFund: boolean;
  touchesSharedParts: boolean;
  multiOrg: boolean;
  channel: Channel;
  route: RouteDecision;
  reporterAccountId: string | null;
  /** Person key of the reporter, or 'resident'. */
  reporterActor: string;
  reporterName: string | null;
  reporterPhone: string | null;
  trackingSecretHash?: string | null;
  qrCode?: string | null;
  /** A banned reporter's issue: kept, hidden and never dispatched. */
  hidden?: boolean;
  /** Photos to attach; each must be unattached and match `photoOwner`. */
  photoIds: string[];
  photoOwner: SQL | undefined;
  /** Field path named when a photo cannot be attached. */
  photoPath: string;
  /** Facts about where the issue came from, kept on its intake event (e.g. the duty-log entry). */
  intakeData?: Record<string, unknown>;
  /**
   * Runs in the creating transaction once the issue exists, for a caller that links a record of its
   * own to the issue: both commit together or neither does.
   */
  onCreated?: (tx: Tx, issueId: string) => Promise<void>;
}

/**
 * The one way an issue comes into being, for every channel: in a single transaction the issue,
 * its intake event, its routing event (unless held), its photos, and the Idempotency-Key record.
 * A photo that cannot be attached rolls all of it back.
 */
export async function persistIssue(
  ctx: ServiceContext,
  now: Date,
  issue: NewIssue,
  idempotency: IdempotencyRef | null | undefined,
): Promise<string> {
  const { route } = issue;
  const held = issue.hidden === true;
  const status = held
    ? 'submitted'
    : applyTransition('submitted', route.tier === 'joint_meeting' ? 'refer' : 'dispatch', ['system']);
  const db = ctx.db;
  const community = getCommunity(ctx, issue.community);
  const cid = await communityId(db, issue.community);
  const calendar = calendarOf(ctx, community);
  // The issue's SLA resolve deadline, counted from submission (KPI on-time rate, DOMAIN.md §8, §11).
  const due = deadlinesFor(community.config, calendar, {
    urgency: issue.urgency,
    category: issue.category,
    from: now,
  });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(issuesTable)
      .values({
        communityId: cid,
        code: newIssueCode(),
        zone: issue.zone,
        building: issue.building,
        spot: issue.spot,
        category: issue.category,
        description: issue.description,
        urgency: issue.urgency,
        scope: issue.scope,
        usesMaintenanceFund: issue.usesMaintenanceFund,
        touchesSharedParts: issue.touchesSharedParts,
        multiOrg: issue.multiOrg,
        channel: issue.channel,
        status,
        tier: route.tier,
        line: route.line,
        owner: route.owner,
        assignees: held ? [] : [...new Set(route.tasks.map((t) => t.assignee))],
        route,
        reporterAccountId: issue.reporterAccountId,
        reporterName: issue.reporterName,
        reporterPhone: issue.reporterPhone,
        trackingSecretHash: issue.trackingSecretHash ?? null,
        qrCode: issue.qrCode ?? null,
        hidden: held,
        resolveDueAt: due.resolveBy,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const issueId = row!.id;
    await tx.insert(issueEventsTable).values({
      issueId,
      action: 'submit',
      fromStatus: null,
      toStatus: 'submitted',
      actorAccountId: issue.reporterAccountId,
      actor: issue.reporterActor,
      note: null,
      data: {
        channel: issue.channel,
        ...issue.intakeData,
        ...(held ? { held: 'reporter_banned' } : {}),
      },
      createdAt: now,
    });
    if (!held) {
      const eventId = await appendEvent(tx, {
        issueId,
        action: route.tier === 'joint_meeting' ? 'refer' : 'dispatch',
        fromStatus: 'submitted',
        toStatus: status,
        actorAccountId: null,
        actor: 'system',
        note: route.reasons.map((r) => r.text).join('\n'),
        data: { tier: route.tier, owner: route.owner, tasks: route.tasks, procedures: route.procedures },
        at: now,
      });
      await openTasks(tx, {
        community,
        calendar,
        issue: row!,
        tasks: route.tasks,
        now,
        sourceKey: `ev:${eventId}`,
      });
      await openReportBacks(tx, issueId, route.procedures, now);
    }
    await attachPhotos(tx, {
      issueId,
      communityId: cid,
      photoIds: issue.photoIds,
      owner: issue.photoOwner,
      path: issue.photoPath,
    });
    await issue.onCreated?.(tx, issueId);
    await recordIdempotentCommit(tx, idempotency, issueId);
    return issueId;
  });
}

/** Photos an account uploaded, or anonymous uploads proven by their tokens' hashes. */
export const photoOwnedBy = (accountId: string | null, tokenHashes: string[]) =>
  or(
    ...(accountId ? [eq(photosTable.uploaderAccountId, accountId)] : []),
    ...(tokenHashes.length ? [inArray(photosTable.uploadTokenHash, tokenHashes)] : []),
  );
