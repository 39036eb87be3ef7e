import {
  type AnnualReportItemInput,
  annualReportBriefing,
  annualReportTitle,
  Conflict,
  Forbidden,
  Invalid,
  localDateOf,
  ORG_NAMES,
  schedulesAnnualReport,
} from '@gongzhi/domain';
import { and, eq, sql } from 'drizzle-orm';
import { jointAgendaItemsTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { creditFile } from '../credit/credit-file';
import { computeKpis } from '../kpi/compute-kpis';
import { enqueueAgendaItem } from './agenda';
import { toPlacementView } from './joint-meeting-store';

/**
 * The secretary lists the property manager's annual 述职 (seed 001 §四: 物业服务企业每年向联席会议述职)
 * for the joint meeting, its briefing filled in from the year's KPIs, the property company's credit
 * file and the residents' evaluation. One per year.
 */
export async function addAnnualReportItem(ctx: ServiceContext, input: AnnualReportItemInput) {
  const community = getCommunity(ctx, input.community);
  if (!schedulesAnnualReport(actorIn(callerOf(ctx), community))) {
    throw Forbidden('not_secretary', '只有联席会议秘书可以安排物业年度述职');
  }
  const manager = community.config.propertyManager;
  const thisYear = Number(localDateOf(ctx.now(), community.config.timezone).slice(0, 4));
  if (input.year > thisYear) {
    throw Invalid('annual_report_future', `${input.year}年尚未开始，不能安排该年度的述职`, [
      { path: 'year', message: '不能晚于今年' },
    ]);
  }
  const cid = await communityId(ctx.db, community.key);
  const title = annualReportTitle(input.year);
  const period = { from: `${input.year}-01-01`, to: `${input.year}-12-31` };
  const file = await creditFile(ctx, community.key, { org: 'property', ...period });
  const kpis = await computeKpis(ctx.db, {
    community,
    communityId: cid,
    period: { kind: 'range', key: `${period.from}..${period.to}`, label: `${input.year}年`, ...period },
    scope: { kind: 'org', key: 'property', name: ORG_NAMES.property },
    now: ctx.now(),
  });
  const briefing = annualReportBriefing({
    year: input.year,
    managerName: manager ? (community.people.get(manager)?.name ?? manager) : '物业服务企业负责人',
    handled: kpis.totals.handlingRate,
    onTime: file.onTime,
    satisfaction: file.satisfaction,
    reminderLetters: file.reminderLetters,
    warningLetters: file.warningLetters,
    lapses: file.lapses,
    score: file.score.score,
    evaluationNote: file.evaluationNote,
  });
  return ctx.db.transaction(async (tx) => {
    // One 述职 a year: concurrent requests queue here, the second finds the first.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`annual-report:${cid}:${input.year}`}))`);
    const [dup] = await tx
      .select({ id: jointAgendaItemsTable.id })
      .from(jointAgendaItemsTable)
      .where(
        and(
          eq(jointAgendaItemsTable.communityId, cid),
          eq(jointAgendaItemsTable.source, 'annual_report'),
          eq(jointAgendaItemsTable.title, title),
        ),
      )
      .for('update');
    if (dup) throw Conflict('annual_report_listed', `${title}已列入联席会议议程`);
    const row = await enqueueAgendaItem(ctx, tx, {
      community,
      communityId: cid,
      draft: {
        title,
        source: 'annual_report',
        issues: [],
        zoneResolution: null,
        reconsiders: null,
        briefing,
      },
      meetingId: input.meeting,
      sourceKey: `annual-report:${cid}:${input.year}`,
    });
    return toPlacementView(community, row);
  });
}
