import {
  type Community,
  deadlinesFor,
  type HolidayCalendar,
  type IssueFacts,
  orgOfTask,
  type Procedure,
  type RouteTask,
  reworkResolveBy,
  zoneNameOf,
} from '@gongzhi/domain';
import dayjs from 'dayjs';
import type { Tx } from '../../db/client';
import { insertReturning } from '../../db/prepared';
import { type issuesTable, reportBacksTable, tasksTable } from '../../db/schema';
import { together } from '../../db/together';
import { notify } from '../notifications/notify';

type IssueRow = typeof issuesTable.$inferSelect;

/** How notifications and letters name an issue: "第一责任区域 12号楼 · 电梯故障". */
export function issueFacts(
  community: Community,
  issue: Pick<IssueRow, 'code' | 'zone' | 'building' | 'spot' | 'category'>,
): IssueFacts {
  const zone = zoneNameOf(community, issue.zone);
  const place = issue.building ? `${issue.building}号楼` : (issue.spot ?? '');
  const category = community.categories.get(issue.category)?.name ?? issue.category;
  return { code: issue.code, where: `${zone}${place ? ` ${place}` : ''} · ${category}` };
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs more than formatting with it. */
const localTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "11月21日 14:30" in the community's time zone. */
export function localTime(d: Date, tz: string) {
  let f = localTimeFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('zh-CN', {
      timeZone: tz,
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    localTimeFormats.set(tz, f);
  }
  return f.format(d);
}

/**
 * Open one task per routed assignee, with accept and resolve deadlines from the SLA (working days
 * on the community's holiday calendar for normal issues; a rework's never before the approved
 * extension, reworkResolveBy), and tell each assignee. `sourceKey` is
 * the event that dispatched them.
 */
export async function openTasks(
  tx: Tx,
  a: {
    community: Community;
    calendar: HolidayCalendar;
    issue: IssueRow;
    tasks: readonly RouteTask[];
    note?: string | null;
    /** An approved extended deadline the resolve deadline may not fall before (a rework). */
    resolveNotBefore?: Date | null;
    now: Date;
    sourceKey: string;
    /** The issue's deadlines from `now`, when the caller has just worked them out (a new issue). */
    due?: ReturnType<typeof deadlinesFor>;
  },
) {
  if (a.tasks.length === 0) return [];
  const due =
    a.due ??
    deadlinesFor(a.community.config, a.calendar, {
      urgency: a.issue.urgency,
      category: a.issue.category,
      from: a.now,
    });
  const resolveBy = reworkResolveBy(due.resolveBy, a.resolveNotBefore ?? null);
  // The tasks, then telling their assignees: sent together (db/together.ts), the message needs
  // nothing the insert answers. Built once per number of tasks and columns given (db/prepared.ts).
  const [opened] = await together(
    insertReturning(
      tx,
      tasksTable,
      'open_tasks',
      a.tasks.map((t) => ({
        issueId: a.issue.id,
        communityId: a.issue.communityId,
        assignee: t.assignee,
        role: t.role,
        org: orgOfTask(a.community, a.issue.zone, t.role, t.assignee),
        status: 'open' as const,
        note: a.note ?? null,
        acceptDueAt: due.acceptBy,
        resolveDueAt: resolveBy,
        nextEscalationAt: due.acceptBy,
        createdAt: a.now,
      })),
    ),
    notify(
      tx,
      a.now,
      a.sourceKey,
      { communityId: a.issue.communityId, persons: a.tasks.map((t) => t.assignee) },
      {
        kind: 'task_assigned',
        issue: issueFacts(a.community, a.issue),
        dueAt: localTime(due.acceptBy, a.community.config.timezone),
        emergency: a.issue.urgency === 'emergency',
      },
      { issueId: a.issue.id },
    ),
  );
  return opened;
}

/** An emergency's report-backs: one per person the procedure names, due within its minutes. */
export async function openReportBacks(tx: Tx, issueId: string, procedures: readonly Procedure[], now: Date) {
  for (const p of procedures) {
    if (p.kind !== 'dual_report_back') continue;
    const dueAt = dayjs(now).add(p.withinMinutes, 'minute').toDate();
    await tx
      .insert(reportBacksTable)
      .values(p.to.map((toPerson) => ({ issueId, toPerson, dueAt })))
      .onConflictDoNothing();
  }
}
