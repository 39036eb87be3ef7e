import { eq, getTableName, type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { jsonRows, preparedOn } from '../../db/prepared';
import {
  communitiesTable,
  issueEventsTable,
  issueFollowersTable,
  issueRatingsTable,
  issueRequestsTable,
  issuesTable,
  photosTable,
  reportBacksTable,
  tasksTable,
} from '../../db/schema';
import { photoShown } from '../content-security/photo-checks';
import type { ServiceContext } from '../context';
import { procedureAllowsOf } from '../meetings/fund-use-state';
import { readableOrNotFound } from './load-readable-issue';
import { toDetail } from './to-view';

/**
 * A column named with its table: drizzle writes bare column names in a one-table select, which
 * inside a subquery would name the subquery's own table.
 */
const q = (column: PgColumn) =>
  sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;

/** `json_agg` of a table's rows belonging to the issue of the outer statement, `[]` when none. */
const agg = (table: PgTable, where: SQL, orderBy: SQL) =>
  sql`coalesce((select json_agg(${table} order by ${orderBy}) from ${table} where ${where}), '[]'::json)`;

/**
 * Everything recorded about an issue, as columns of the statement that selects the issue row:
 * timeline, photos, tasks and report-backs oldest first, the rating, the pending requests and how
 * many follow it — one round trip instead of seven.
 */
const workColumns = {
  events: agg(
    issueEventsTable,
    sql`${q(issueEventsTable.issueId)} = ${q(issuesTable.id)}`,
    sql`${q(issueEventsTable.id)}`,
  ),
  // A photo WeChat's content security found risky is hidden (content-security/photo-checks.ts).
  photos: agg(
    photosTable,
    sql`${q(photosTable.issueId)} = ${q(issuesTable.id)} and ${photoShown()}`,
    sql`${q(photosTable.createdAt)}, ${q(photosTable.id)}`,
  ),
  tasks: agg(tasksTable, sql`${q(tasksTable.issueId)} = ${q(issuesTable.id)}`, sql`${q(tasksTable.seq)}`),
  reportBacks: agg(
    reportBacksTable,
    sql`${q(reportBacksTable.issueId)} = ${q(issuesTable.id)}`,
    sql`${q(reportBacksTable.toPerson)}`,
  ),
  rating: sql`(select json_agg(${issueRatingsTable}) from ${issueRatingsTable} where ${q(issueRatingsTable.issueId)} = ${q(issuesTable.id)})`,
  requests: agg(
    issueRequestsTable,
    sql`${q(issueRequestsTable.issueId)} = ${q(issuesTable.id)} and ${q(issueRequestsTable.status)} = 'pending'`,
    sql`${q(issueRequestsTable.createdAt)}`,
  ),
};

const interestColumn = sql<number>`(select count(*)::int from ${issueFollowersTable} where ${q(issueFollowersTable.issueId)} = ${q(issuesTable.id)})`;

const eventRows = jsonRows(issueEventsTable);
const photoRows = jsonRows(photosTable);
const taskRows = jsonRows(tasksTable);
const reportBackRows = jsonRows(reportBacksTable);
const ratingRows = jsonRows(issueRatingsTable);
const requestRows = jsonRows(issueRequestsTable);

type WorkJson = { [K in keyof typeof workColumns]: unknown };

function workOf(json: WorkJson) {
  return {
    events: eventRows(json.events),
    photos: photoRows(json.photos),
    tasks: taskRows(json.tasks),
    reportBacks: reportBackRows(json.reportBacks),
    rating: ratingRows(json.rating)[0] ?? null,
    requests: requestRows(json.requests),
  };
}

/** Everything recorded about one issue: timeline, photos, tasks and report-backs, oldest first. */
export async function loadIssueWork(db: Db, id: string) {
  const [row] = await preparedOn(db, 'issue_work', () =>
    db
      .select(workColumns)
      .from(issuesTable)
      .where(eq(issuesTable.id, sql.placeholder('id')))
      .prepare('issue_work'),
  ).execute({ id });
  return workOf(row ?? { events: [], photos: [], tasks: [], reportBacks: [], rating: null, requests: [] });
}

/** How many residents follow an issue ("这也是我的问题"). */
export async function interestOf(db: Db, issueId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(issueFollowersTable)
    .where(eq(issueFollowersTable.issueId, issueId));
  return Number(row?.n ?? 0);
}

/** The issue, its community and all its work in one statement (getIssue). */
const issueWithWork = (db: Db) =>
  preparedOn(db, 'issue_with_work', () =>
    db
      .select({
        issue: issuesTable,
        communityKey: communitiesTable.key,
        interest: interestColumn,
        ...workColumns,
      })
      .from(issuesTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, issuesTable.communityId))
      .where(eq(issuesTable.id, sql.placeholder('id')))
      .prepare('issue_with_work'),
  );

/**
 * One issue with its full timeline, photos, tasks and report-backs: one statement, then the
 * read gate of loadReadableIssue (404 for an issue the caller may not read).
 */
export async function getIssue(ctx: ServiceContext, id: string) {
  const [found] = await issueWithWork(ctx.db).execute({ id });
  const { issue, community, actor } = readableOrNotFound(ctx, found);
  const now = ctx.now();
  return {
    ...toDetail(
      community,
      issue,
      workOf(found!),
      actor,
      now,
      await procedureAllowsOf(ctx.db, issue, community, now),
    ),
    interest: Number(found!.interest),
  };
}
