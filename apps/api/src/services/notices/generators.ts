import {
  type Community,
  Conflict,
  evaluationResultsNotice,
  fundNotice,
  Invalid,
  jointDecisionNotice,
  type NoticeDraft,
  type NoticeSource,
  parseQuarter,
  quarterlySummaryNotice,
  quarterPeriod,
  zoneRosterNotice,
} from '@gongzhi/domain';
import { and, desc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  fundUsesTable,
  jointAgendaItemsTable,
  jointMeetingsTable,
  ownersAssembliesTable,
} from '../../db/schema';
import { communityId } from '../communities/community-id';
import type { ServiceContext } from '../context';
import { peopleWithChoices, publicContactOf } from '../duty/duty-setup';
import { campaignResults } from '../evaluation/results';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { computeKpis } from '../kpi/compute-kpis';
import { fundOptionsOf } from '../meetings/fund-use-state';
import { loadResolution } from '../meetings/resolution-store';
import { honorRollDraft } from './honor-roll';

type Source<K extends NoticeSource['kind']> = Extract<NoticeSource, { kind: K }>;

/**
 * Loads a source's facts (checking that the caller may read them) and drafts the notice with the
 * domain's pure generator. The community is the one the notice is created in; a source of another
 * community is refused.
 */
export type NoticeGenerator<K extends NoticeSource['kind']> = (
  ctx: ServiceContext,
  tx: Tx,
  community: Community,
  source: Source<K>,
) => Promise<NoticeDraft>;

const otherCommunity = () => Conflict('source_other_community', '生成来源不属于该小区');

/**
 * One generator per generated kind. To add the quarterly complaint summary or the evaluation
 * results: add its source to the domain's NoticeSource, a pure generator beside zoneRosterNotice,
 * and one entry here — the create verb, the routes and the pages need no change.
 */
export const NOTICE_GENERATORS: { [K in NoticeSource['kind']]: NoticeGenerator<K> } = {
  /** The roster from config, with a contact only for people who chose to show one. */
  zone_roster: async (ctx, tx, community, source) => {
    const people = await peopleWithChoices(tx, community, await communityId(ctx.db, community.key));
    return zoneRosterNotice(community, source.zone, (k) => publicContactOf(people.get(k)));
  },

  /** A joint-meeting resolution as recorded: the meeting, the item, the vote and who is responsible. */
  joint_decision: async (ctx, tx, community, source) => {
    const { row } = await loadResolution(ctx, tx, source.resolution);
    if (row.communityId !== (await communityId(ctx.db, community.key))) throw otherCommunity();
    if (row.supersededById)
      throw Conflict('resolution_superseded', '该决议已经复议并被新的决议取代，请公告新的决议');
    const [meeting] = await tx
      .select()
      .from(jointMeetingsTable)
      .where(eq(jointMeetingsTable.id, row.meetingId));
    const [item] = await tx
      .select()
      .from(jointAgendaItemsTable)
      .where(eq(jointAgendaItemsTable.id, row.itemId));
    const name = (k: string) => community.people.get(k)?.name ?? k;
    return jointDecisionNotice({
      communityName: community.name,
      timezone: community.config.timezone,
      meetingAt: meeting!.at,
      chairName: name(row.chair),
      itemTitle: item!.title,
      voteText: item!.voteText,
      individualConsultation: Boolean(item!.consultationIndividual?.trim()),
      resolution: row.text,
      responsibleOrg: row.responsibleOrg,
      responsiblePersonName: name(row.responsiblePerson),
      dueDate: row.dueDate,
      milestones: row.milestones,
    });
  },

  /** The fund use of an issue: the assembly's decision, the plan, and the fund procedure's notice period. */
  fund_notice: async (ctx, tx, community, source) => {
    const { issue, community: issueCommunity } = await loadReadableIssue(ctx, tx, source.issue);
    if (issueCommunity.key !== community.key) throw otherCommunity();
    if (!issue.usesMaintenanceFund) throw Conflict('fund_not_used', '该问题不动用维修资金，无需公示');
    const [fund] = await tx.select().from(fundUsesTable).where(eq(fundUsesTable.issueId, issue.id));
    const [assembly] = await tx
      .select({ passed: ownersAssembliesTable.passed, result: ownersAssembliesTable.result })
      .from(ownersAssembliesTable)
      .where(and(eq(ownersAssembliesTable.issueId, issue.id), eq(ownersAssembliesTable.matter, 'use_fund')))
      .orderBy(desc(ownersAssembliesTable.seq))
      .limit(1);
    const zone = community.zones.get(issue.zone);
    const place = [zone?.name ?? issue.zone, issue.building ? `${issue.building}号楼` : null, issue.spot]
      .filter(Boolean)
      .join(' ');
    return fundNotice({
      timezone: community.config.timezone,
      issueCode: issue.code,
      zone: issue.zone,
      place,
      description: issue.description,
      plan: fund?.noticeText ?? null,
      assembly: assembly ? { passed: assembly.passed, summary: assembly.result.summary } : null,
      noticeDays: fundOptionsOf(community).noticeDays ?? 7,
      noticeStartedAt: fund?.noticeStartedAt ?? null,
    });
  },

  /** One zone's quarter from the KPIs (the zone scope): received, handled, on time, by category and tier. */
  quarterly_summary: async (ctx, tx, community, source) => {
    const zone = community.zones.get(source.zone);
    if (!zone) {
      throw Invalid('unknown_zone', `区域 "${source.zone}" 不存在`, [
        { path: 'body.source.zone', message: `可选区域：${[...community.zones.keys()].join('、')}` },
      ]);
    }
    const q = parseQuarter(source.quarter, 'body.source.quarter');
    const view = await computeKpis(tx, {
      community,
      communityId: await communityId(tx, community.key),
      period: quarterPeriod(q.year, q.q),
      scope: { kind: 'zone', key: zone.key, name: zone.name },
      now: ctx.now(),
    });
    return quarterlySummaryNotice(community.name, zone.key, view);
  },

  /** A closed evaluation campaign of this community: its aggregate results. */
  evaluation_results: async (_ctx, tx, community, source) => {
    const results = await campaignResults(tx, source.campaign);
    if (results.campaign.community !== community.key) throw otherCommunity();
    return evaluationResultsNotice(community.name, results);
  },

  /** Red and black list entries (红黑榜) of this community, chosen by a keeper (Party branch, 业委会). */
  honor_roll: (ctx, tx, community, source) => honorRollDraft(ctx, tx, community.key, source.entries),
};

/** Draft a notice from its source with the kind's generator. */
export function generateNotice(ctx: ServiceContext, tx: Tx, community: Community, source: NoticeSource) {
  const generate = NOTICE_GENERATORS[source.kind] as NoticeGenerator<typeof source.kind>;
  return generate(ctx, tx, community, source);
}
