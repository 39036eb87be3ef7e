import {
  JOINT_MEETING_KIND_NAMES,
  JOINT_MEETING_STATUS_NAMES,
  MINUTES_STATUS_NAMES,
  ORG_NAMES,
  RESOLUTION_DISPOSITION_NAMES,
  ZONE_MEETING_STATUS_NAMES,
} from '@gongzhi/domain';
import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import {
  fundUsesTable,
  issuesTable,
  jointAgendaItemsTable,
  jointMeetingsTable,
  ownersAssembliesTable,
  resolutionProgressTable,
  resolutionsTable,
  zoneMeetingIssuesTable,
  zoneMeetingsTable,
} from '../../../db/schema';
import { type ArchiveSection, csv, iso, json, tally } from '../section';

/**
 * Meetings held in the quarter (by when they were held): zone meetings with attendance, minutes and
 * each agenda issue's outcome; joint meetings with attendance, consultation, votes and resolutions;
 * the resolutions' progress; owners' assemblies recorded in the quarter and the maintenance-fund
 * steps of the quarter's issues.
 */
export const meetingsSection: ArchiveSection = {
  key: 'meetings',
  async export(sx) {
    const { tx, community, communityId, start, end } = sx;
    const name = (key: string | null) => (key ? (community.people.get(key)?.name ?? key) : null);
    const names = (keys: readonly string[]) => keys.map((k) => name(k));

    const zoneMeetings = await tx
      .select()
      .from(zoneMeetingsTable)
      .where(
        and(
          eq(zoneMeetingsTable.communityId, communityId),
          gte(zoneMeetingsTable.at, start),
          lt(zoneMeetingsTable.at, end),
        ),
      )
      .orderBy(asc(zoneMeetingsTable.at), asc(zoneMeetingsTable.id));
    const zoneAgenda = zoneMeetings.length
      ? await tx
          .select({ a: zoneMeetingIssuesTable, code: issuesTable.code })
          .from(zoneMeetingIssuesTable)
          .innerJoin(issuesTable, eq(issuesTable.id, zoneMeetingIssuesTable.issueId))
          .where(
            inArray(
              zoneMeetingIssuesTable.meetingId,
              zoneMeetings.map((m) => m.id),
            ),
          )
          .orderBy(asc(zoneMeetingIssuesTable.position))
      : [];
    const zoneRecords = zoneMeetings.map((m) => ({
      id: m.id,
      zone: { key: m.zone, name: community.zones.get(m.zone)?.name ?? m.zone },
      at: iso(m.at),
      place: m.place,
      status: m.status,
      statusName: ZONE_MEETING_STATUS_NAMES[m.status],
      convenedBy: name(m.convenedBy),
      invitees: names(m.invitees),
      attendees: names(m.attendees),
      residentViews: m.residentViews,
      minutes: m.minutes,
      minutesRecordedAt: iso(m.minutesRecordedAt),
      agenda: zoneAgenda
        .filter((r) => r.a.meetingId === m.id)
        .map((r) => ({
          issue: r.code,
          title: r.a.title,
          outcome: r.a.outcome,
          text: r.a.text,
          proposal: r.a.proposal,
          assignee: name(r.a.assignee),
        })),
    }));

    const jointMeetings = await tx
      .select()
      .from(jointMeetingsTable)
      .where(
        and(
          eq(jointMeetingsTable.communityId, communityId),
          gte(jointMeetingsTable.at, start),
          lt(jointMeetingsTable.at, end),
        ),
      )
      .orderBy(asc(jointMeetingsTable.at), asc(jointMeetingsTable.id));
    const meetingIds = jointMeetings.map((m) => m.id);
    const items = meetingIds.length
      ? await tx
          .select()
          .from(jointAgendaItemsTable)
          .where(inArray(jointAgendaItemsTable.meetingId, meetingIds))
          .orderBy(asc(jointAgendaItemsTable.no))
      : [];
    const resolutions = meetingIds.length
      ? await tx
          .select()
          .from(resolutionsTable)
          .where(inArray(resolutionsTable.meetingId, meetingIds))
          .orderBy(asc(resolutionsTable.createdAt))
      : [];
    const progress = resolutions.length
      ? await tx
          .select()
          .from(resolutionProgressTable)
          .where(
            inArray(
              resolutionProgressTable.resolutionId,
              resolutions.map((r) => r.id),
            ),
          )
          .orderBy(asc(resolutionProgressTable.id))
      : [];
    const issueIds = [...new Set([...items, ...resolutions].flatMap((x) => x.issueIds))];
    const codes = new Map(
      issueIds.length
        ? (
            await tx
              .select({ id: issuesTable.id, code: issuesTable.code })
              .from(issuesTable)
              .where(inArray(issuesTable.id, issueIds))
          ).map((r) => [r.id, r.code])
        : [],
    );
    const codesOf = (ids: readonly string[]) => ids.map((id) => codes.get(id) ?? id);
    const resolutionRecord = (r: (typeof resolutions)[number]) => ({
      id: r.id,
      itemNo: r.itemNo,
      text: r.text,
      issues: codesOf(r.issueIds),
      responsibleOrg: ORG_NAMES[r.responsibleOrg],
      responsiblePerson: name(r.responsiblePerson),
      dueDate: r.dueDate,
      disposition: RESOLUTION_DISPOSITION_NAMES[r.disposition],
      milestones: r.milestones,
      progress: r.progress,
      done: r.done,
      supersededById: r.supersededById,
      createdAt: iso(r.createdAt),
      history: progress
        .filter((p) => p.resolutionId === r.id)
        .map((p) => ({
          at: iso(p.at),
          by: name(p.by),
          from: p.fromProgress,
          to: p.toProgress,
          note: p.note,
          milestone: p.milestone,
        })),
    });
    const jointRecords = jointMeetings.map((m) => ({
      id: m.id,
      kind: JOINT_MEETING_KIND_NAMES[m.kind],
      at: iso(m.at),
      place: m.place,
      status: JOINT_MEETING_STATUS_NAMES[m.status],
      chair: name(m.chair),
      invitees: m.invitees,
      present: names(m.present),
      guests: m.guests,
      minutes: { status: MINUTES_STATUS_NAMES[m.minutesStatus], text: m.minutesText },
      minutesApprovedBy: name(m.minutesApprovedBy),
      minutesApprovedAt: iso(m.minutesApprovedAt),
      items: items
        .filter((i) => i.meetingId === m.id)
        .map((i) => ({
          no: i.no,
          title: i.title,
          source: i.source,
          status: i.status,
          issues: codesOf(i.issueIds),
          zoneResolution: i.zoneResolution,
          reconsiders: i.reconsiders,
          consultation: { individual: i.consultationIndividual, joint: i.consultationJoint },
          vote:
            i.voteFor === null
              ? null
              : {
                  for: i.voteFor,
                  against: i.voteAgainst,
                  abstain: i.voteAbstain,
                  present: i.votePresent,
                  passed: i.votePassed,
                  text: i.voteText,
                },
          deferReason: i.deferReason,
          resolution: (() => {
            const r = resolutions.find((x) => x.itemId === i.id);
            return r ? resolutionRecord(r) : null;
          })(),
        })),
    }));

    const assemblies = await tx
      .select({ a: ownersAssembliesTable, code: issuesTable.code })
      .from(ownersAssembliesTable)
      .innerJoin(issuesTable, eq(issuesTable.id, ownersAssembliesTable.issueId))
      .where(
        and(
          eq(ownersAssembliesTable.communityId, communityId),
          gte(ownersAssembliesTable.createdAt, start),
          lt(ownersAssembliesTable.createdAt, end),
        ),
      )
      .orderBy(asc(ownersAssembliesTable.seq));
    const fundUses = await tx
      .select({ f: fundUsesTable, code: issuesTable.code })
      .from(fundUsesTable)
      .innerJoin(issuesTable, eq(issuesTable.id, fundUsesTable.issueId))
      .where(
        and(
          eq(issuesTable.communityId, communityId),
          gte(issuesTable.createdAt, start),
          lt(issuesTable.createdAt, end),
        ),
      );

    const votes = jointRecords.flatMap((m, n) =>
      m.items
        .filter((i) => i.vote)
        .map((i) => [
          jointMeetings[n]!.at,
          i.no,
          i.title,
          i.vote!.present,
          i.vote!.for,
          i.vote!.against,
          i.vote!.abstain,
          i.vote!.passed ? '通过' : '未通过',
          i.resolution?.text,
        ]),
    );
    const passed = votes.filter((v) => v[7] === '通过').length;
    return {
      files: [
        { path: 'meetings/zone-meetings.json', data: json(zoneRecords) },
        {
          path: 'meetings/zone-meetings.csv',
          data: csv(
            sx,
            ['时间', '区域', '地点', '状态', '召集人', '出席', '议题数', '纪要'],
            zoneRecords.map((m, n) => [
              zoneMeetings[n]!.at,
              m.zone.name,
              m.place,
              m.statusName,
              m.convenedBy,
              m.attendees.join('、'),
              m.agenda.length,
              m.minutes,
            ]),
          ),
        },
        { path: 'meetings/joint-meetings.json', data: json(jointRecords) },
        {
          path: 'meetings/joint-votes.csv',
          data: csv(
            sx,
            ['会议时间', '议题序号', '议题', '出席', '赞成', '反对', '弃权', '结果', '决议'],
            votes,
          ),
        },
        {
          path: 'meetings/owners-assemblies.json',
          data: json(
            assemblies.map(({ a, code }) => ({
              issue: code,
              matter: a.matter,
              passed: a.passed,
              votes: a.votes,
              result: a.result,
              recordedBy: name(a.recordedBy),
              createdAt: iso(a.createdAt),
            })),
          ),
        },
        {
          path: 'meetings/fund-uses.json',
          data: json(
            fundUses.map(({ f, code }) => ({
              issue: code,
              noticeStartedAt: iso(f.noticeStartedAt),
              noticeText: f.noticeText,
              noticeRecordedBy: name(f.noticeRecordedBy),
              reportedToOcAt: iso(f.reportedToOcAt),
              ocReportNote: f.ocReportNote,
              reportedBy: name(f.reportedBy),
            })),
          ),
        },
      ],
      counts: { zoneMeetings: zoneMeetings.length, jointMeetings: jointMeetings.length },
      summary: {
        heading: '会议与决议',
        lines: [
          `召开区域会议 ${zoneMeetings.length} 次，社区联席会议 ${jointMeetings.length} 次。`,
          `联席会议表决 ${votes.length} 项，通过 ${passed} 项；形成决议 ${resolutions.length} 项，已落实 ${resolutions.filter((r) => r.done).length} 项。`,
          `业主大会表决记录 ${assemblies.length} 项。`,
        ],
        tables: [{ title: '区域会议（按区域）', rows: tally(zoneRecords, (m) => m.zone.name) }],
      },
    };
  },
};
