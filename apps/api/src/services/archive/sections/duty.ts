import { ORG_NAMES, quarterDates, SHIFT_SOURCE_NAMES } from '@gongzhi/domain';
import { and, asc, eq, gte, lt, lte } from 'drizzle-orm';
import { dutyLogEntriesTable, dutyShiftChangesTable, dutyShiftsTable, issuesTable } from '../../../db/schema';
import { type ArchiveSection, csv, iso, json, tally } from '../section';

/** The rota of the quarter's days, its change log, and the duty desk's log (接待记录). */
export const dutySection: ArchiveSection = {
  key: 'duty',
  async export(sx) {
    const { tx, community, communityId, start, end } = sx;
    const name = (key: string) => community.people.get(key)?.name ?? key;
    const shiftNames = new Map(community.config.duty.shifts.map((d) => [d.key, d.name]));
    const shiftName = (key: string) => shiftNames.get(key) ?? key;
    const days = quarterDates(sx.quarter);
    const shifts = await tx
      .select()
      .from(dutyShiftsTable)
      .where(
        and(
          eq(dutyShiftsTable.communityId, communityId),
          gte(dutyShiftsTable.date, days.first),
          lte(dutyShiftsTable.date, days.last),
        ),
      )
      .orderBy(
        asc(dutyShiftsTable.date),
        asc(dutyShiftsTable.shift),
        asc(dutyShiftsTable.org),
        asc(dutyShiftsTable.person),
      );
    const changes = await tx
      .select()
      .from(dutyShiftChangesTable)
      .where(
        and(
          eq(dutyShiftChangesTable.communityId, communityId),
          gte(dutyShiftChangesTable.createdAt, start),
          lt(dutyShiftChangesTable.createdAt, end),
        ),
      )
      .orderBy(asc(dutyShiftChangesTable.id));
    const log = await tx
      .select({ e: dutyLogEntriesTable, issueCode: issuesTable.code })
      .from(dutyLogEntriesTable)
      .leftJoin(issuesTable, eq(issuesTable.id, dutyLogEntriesTable.issueId))
      .where(
        and(
          eq(dutyLogEntriesTable.communityId, communityId),
          gte(dutyLogEntriesTable.createdAt, start),
          lt(dutyLogEntriesTable.createdAt, end),
        ),
      )
      .orderBy(asc(dutyLogEntriesTable.createdAt), asc(dutyLogEntriesTable.id));
    const logRecords = log.map(({ e, issueCode }) => ({
      id: e.id,
      at: iso(e.createdAt),
      person: name(e.person),
      org: e.org ? ORG_NAMES[e.org] : null,
      askedBy: e.askedBy,
      topic: e.topic,
      answer: e.answer,
      issue: issueCode,
    }));
    return {
      files: [
        {
          path: 'duty/shifts.csv',
          data: csv(
            sx,
            ['日期', '班次', '单位', '值班人', '来源'],
            shifts.map((s) => [
              s.date,
              shiftName(s.shift),
              ORG_NAMES[s.org],
              name(s.person),
              SHIFT_SOURCE_NAMES[s.source],
            ]),
          ),
        },
        {
          path: 'duty/changes.json',
          data: json(
            changes.map((c) => ({
              at: iso(c.createdAt),
              kind: c.kind,
              actor: c.actor === 'admin' ? '管理员' : name(c.actor),
              reason: c.reason,
              before: c.before,
              after: c.after,
              data: c.data,
            })),
          ),
        },
        { path: 'duty/log.json', data: json(logRecords) },
        {
          path: 'duty/log.csv',
          data: csv(
            sx,
            ['时间', '值班人', '单位', '来访人', '事由', '答复', '转为问题'],
            logRecords.map((r, n) => [
              log[n]!.e.createdAt,
              r.person,
              r.org,
              r.askedBy,
              r.topic,
              r.answer,
              r.issue,
            ]),
          ),
        },
      ],
      counts: { dutyLogEntries: log.length },
      summary: {
        heading: '值班',
        lines: [
          `排班 ${shifts.length} 人次，排班调整 ${changes.length} 次；值班接待记录 ${log.length} 条，其中转为问题 ${logRecords.filter((r) => r.issue).length} 条。`,
        ],
        tables: [{ title: '值班人次（按单位）', rows: tally(shifts, (s) => ORG_NAMES[s.org]) }],
      },
    };
  },
};
