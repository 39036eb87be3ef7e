import { randomInt, randomUUID } from 'node:crypto';
import {
  applyTransition,
  type Channel,
  type Community,
  deadlinesFor,
  needsContact,
  type RouteDecision,
  referralAgendaItem,
  type Scope,
  TIER_NAMES,
  toldOfNewIssue,
  type Urgency,
} from '@gongzhi/domain';
import { eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { insertReturning } from '../../db/prepared';
import { type issueEventsTable, issuesTable, photosTable } from '../../db/schema';
import { together } from '../../db/together';
import { audit } from '../../lib/audit';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { communityId } from '../communities/community-id';
import { calendarOf, getCommunity, type ServiceContext } from '../context';
import { type IdempotencyRef, recordIdempotentCommit } from '../idempotency';
import { enqueueAgendaItem } from '../meetings/agenda';
import { agendaTitle } from '../meetings/issue-title';
import { notify } from '../notifications/notify';
import { attachPhotos } from '../photos/attach-photos';
import { issueFacts, openReportBacks, openTasks } from '../tasks/open-tasks';
import { insertEvent } from './append-event';

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
  /** Staff's optional pin at the scene. */
  location?: { lat: number; lng: number } | null;
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
  /** What an idempotent replay needs that the issue does not keep (sealed with the key record). */
  replayExtras?: Record<string, string>;
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
  return (await persistIssueRecord(ctx, now, issue, idempotency)).issue.id;
}

/** What persistIssue wrote, as committed: the issue row, its events and its photos. */
export interface PersistedIssue {
  issue: typeof issuesTable.$inferSelect;
  events: (typeof issueEventsTable.$inferSelect)[];
  photos: (typeof photosTable.$inferSelect)[];
}

/**
 * persistIssue, answering what it wrote, so a caller that shows the new issue (a complaint's
 * receipt) builds its view from it instead of reading it all back.
 */
export async function persistIssueRecord(
  ctx: ServiceContext,
  now: Date,
  issue: NewIssue,
  idempotency: IdempotencyRef | null | undefined,
): Promise<PersistedIssue> {
  const { route } = issue;
  const held = issue.hidden === true;
  // Routing could not place it: accepted, it waits on the triage desk (兜底) in `submitted`.
  const triage = route.tier === 'triage';
  const status =
    held || triage
      ? 'submitted'
      : applyTransition('submitted', route.tier === 'joint_meeting' ? 'refer' : 'dispatch', ['system']);
  const db = ctx.db;
  const community = getCommunity(ctx, issue.community);
  const cid = await communityId(db, issue.community);
  const calendar = calendarOf(ctx, community);
  // The issue's SLA resolve deadline, counted from submission (KPI on-time rate, docs/domain.md §8, §11).
  const due = deadlinesFor(community.config, calendar, {
    urgency: issue.urgency,
    category: issue.category,
    from: now,
  });
  const created = await db.transaction(async (tx) => {
    // The id is made here (a random UUID, as the column's default would), so the statements that
    // name the new issue need not wait for its insert's answer.
    const issueId = randomUUID();
    const known = { communityId: cid, createdAt: now };
    const note = route.reasons.map((r) => r.text).join('\n');
    // Its routing event: the triage desk's, or the dispatch (or the referral); none while held.
    const routing: typeof issueEventsTable.$inferInsert | null = held
      ? null
      : triage
        ? {
            issueId,
            action: 'triage',
            fromStatus: 'submitted',
            toStatus: 'submitted',
            actorAccountId: null,
            actor: 'system',
            note,
            data: { tier: route.tier, owner: route.owner },
            createdAt: now,
          }
        : {
            issueId,
            action: route.tier === 'joint_meeting' ? 'refer' : 'dispatch',
            fromStatus: 'submitted',
            toStatus: status,
            actorAccountId: null,
            actor: 'system',
            note,
            data: { tier: route.tier, owner: route.owner, tasks: route.tasks, procedures: route.procedures },
            createdAt: now,
          };
    // The issue, its intake event and, unless held, the quarter lock and the routing event, sent
    // together in this order (db/together.ts). Built once per set of columns given
    // (db/prepared.ts): a new issue's statements were built by drizzle on every complaint.
    const [[row], submitted, , routed] = await together(
      insertReturning(tx, issuesTable, 'insert_issue', [
        {
          id: issueId,
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
          latitude: issue.location?.lat ?? null,
          longitude: issue.location?.lng ?? null,
          trackingSecretHash: issue.trackingSecretHash ?? null,
          qrCode: issue.qrCode ?? null,
          hidden: held,
          resolveDueAt: due.resolveBy,
          contactDueAt: needsContact(issue.channel) ? due.contactBy : null,
          createdAt: now,
          updatedAt: now,
        },
      ]),
      insertEvent(tx, {
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
      }),
      routing ? assertQuarterOpen(tx, known.communityId, known.createdAt) : null,
      routing ? insertEvent(tx, routing) : null,
    );
    const events = routed ? [submitted, routed] : [submitted];
    const sourceKey = `ev:${routed?.id}`;
    // What the routing starts — tasks and the people told, report-backs, the joint meeting's
    // agenda —, the photos and the Idempotency-Key's commit (ADR 0004: with the issue, in its
    // transaction): none needs another's answer; sent together, in the order they ran one at a time.
    const [, photos] = await together(
      !routed
        ? null
        : triage
          ? notify(
              tx,
              now,
              `${sourceKey}:told`,
              {
                communityId: cid,
                persons: route.owner ? [route.owner] : [],
                exceptAccountId: issue.reporterAccountId,
              },
              {
                kind: 'issue_filed',
                issue: issueFacts(community, row!),
                tierName: TIER_NAMES.triage,
                emergency: issue.urgency === 'emergency',
              },
              { issueId },
            )
          : together(
              openTasks(tx, {
                community,
                calendar,
                issue: row!,
                tasks: route.tasks,
                now,
                sourceKey,
                due,
              }),
              openReportBacks(tx, issueId, route.procedures, now),
              tellOfNewIssue(ctx, tx, {
                community,
                communityId: cid,
                issue: row!,
                reporter: issue.reporterActor,
                eventId: routed.id,
              }),
            ),
      attachPhotos(tx, {
        issueId,
        communityId: cid,
        photoIds: issue.photoIds,
        owner: issue.photoOwner,
        path: issue.photoPath,
        createdAt: row!.createdAt,
      }),
      issue.onCreated ? null : recordIdempotentCommit(tx, idempotency, issueId, issue.replayExtras),
    );
    if (issue.onCreated) {
      await issue.onCreated(tx, issueId);
      await recordIdempotentCommit(tx, idempotency, issueId, issue.replayExtras);
    }
    return { issueId, status, row: row!, events, photos };
  });
  // Committed: the issue's first state, as writeIssue records every later one.
  audit(ctx.log, {
    action: 'issue.submit',
    actor: issue.reporterAccountId ?? (issue.reporterActor === 'system' ? 'system' : 'anonymous'),
    actorPerson: issue.reporterActor,
    target: `issue:${created.issueId}`,
    at: now,
    requestId: ctx.requestId ?? null,
    detail: { from: null, to: created.status, channel: issue.channel },
  });
  return { issue: created.row, events: created.events, photos: created.photos };
}

/**
 * Being told of a new issue (docs/domain.md §5): the zone leader and the line leader hear of it (the
 * task holders already have their task); an issue referred to the joint meeting goes on its waiting
 * agenda, which tells the secretary.
 */
export async function tellOfNewIssue(
  ctx: ServiceContext,
  tx: Tx,
  a: {
    community: Community;
    communityId: string;
    issue: typeof issuesTable.$inferSelect;
    reporter: string;
    eventId: number;
  },
) {
  const { community, issue } = a;
  const route = issue.route;
  const persons = toldOfNewIssue(community, { zone: issue.zone, reporter: a.reporter }, route);
  await notify(
    tx,
    issue.createdAt,
    `ev:${a.eventId}:told`,
    { communityId: a.communityId, persons, exceptAccountId: issue.reporterAccountId },
    {
      kind: 'issue_filed',
      issue: issueFacts(community, issue),
      tierName: TIER_NAMES[route.tier],
      emergency: issue.urgency === 'emergency',
    },
    { issueId: issue.id },
  );
  if (route.tier === 'joint_meeting') {
    await enqueueAgendaItem(ctx, tx, {
      community,
      communityId: a.communityId,
      draft: referralAgendaItem(issue.id, agendaTitle(community, issue)),
      sourceKey: `ev:${a.eventId}`,
    });
  }
}

/** Photos an account uploaded, or anonymous uploads proven by their tokens' hashes. */
export const photoOwnedBy = (accountId: string | null, tokenHashes: string[]) =>
  or(
    ...(accountId ? [eq(photosTable.uploaderAccountId, accountId)] : []),
    ...(tokenHashes.length ? [inArray(photosTable.uploadTokenHash, tokenHashes)] : []),
  );
