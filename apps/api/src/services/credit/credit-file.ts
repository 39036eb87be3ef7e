import {
  type CreditFileView,
  type CreditQuery,
  creditScore,
  Forbidden,
  LETTER_KIND_NAMES,
  ORG_NAMES,
  PROPERTY_TARGET,
  parsePeriod,
  parseQuarter,
  periodInstants,
  quarterDates,
} from '@gongzhi/domain';
import { and, asc, count, eq, gte, inArray, lt } from 'drizzle-orm';
import { evaluationCampaignsTable, lapsesTable, lettersTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import { getCommunity, type ServiceContext } from '../context';
import { campaignResults } from '../evaluation/results';
import { readableOrgs } from '../followup/letters';
import { computeKpis } from '../kpi/compute-kpis';

/**
 * An organisation's credit file (诚信档案) for a period: the letters it received, its lapses, its
 * on-time rate and satisfaction over the issues it was given work on (the KPIs' organisation scope),
 * the residents' evaluation (the property company is the organisation residents evaluate), and the
 * score by the community's configured formula with its arithmetic. Readable by the secretary and the
 * leadership group, and by the organisation's own people.
 */
export async function creditFile(ctx: ServiceContext, key: string, q: CreditQuery): Promise<CreditFileView> {
  const community = getCommunity(ctx, key);
  const orgs = readableOrgs(ctx, community);
  if (orgs !== 'all' && !orgs.includes(q.org)) {
    throw Forbidden('credit_not_permitted', '只有社区领导小组、秘书和本单位人员可以查看该单位的诚信档案');
  }
  const period = parsePeriod(q, 'querystring.');
  const cid = await communityId(ctx.db, community.key);
  const { start, end } = periodInstants(period, community.config.timezone);
  const inPeriod = (col: typeof lettersTable.createdAt | typeof lapsesTable.createdAt) =>
    and(gte(col, start), lt(col, end));

  const letters = await ctx.db
    .select()
    .from(lettersTable)
    .where(
      and(eq(lettersTable.communityId, cid), eq(lettersTable.org, q.org), inPeriod(lettersTable.createdAt)),
    )
    .orderBy(asc(lettersTable.createdAt), asc(lettersTable.id));
  const [lapses] = await ctx.db
    .select({ n: count() })
    .from(lapsesTable)
    .where(
      and(eq(lapsesTable.communityId, cid), eq(lapsesTable.org, q.org), inPeriod(lapsesTable.createdAt)),
    );
  const kpis = await computeKpis(ctx.db, {
    community,
    communityId: cid,
    period,
    scope: { kind: 'org', key: q.org, name: ORG_NAMES[q.org] },
    now: ctx.now(),
  });

  // The evaluation: closed or published campaigns of quarters inside the period, weighted by responses.
  let evaluation: CreditFileView['evaluation'] = null;
  if (q.org === 'property') {
    const campaigns = await ctx.db
      .select({ id: evaluationCampaignsTable.id, quarter: evaluationCampaignsTable.quarter })
      .from(evaluationCampaignsTable)
      .where(
        and(
          eq(evaluationCampaignsTable.communityId, cid),
          inArray(evaluationCampaignsTable.status, ['closed', 'published']),
        ),
      );
    let sum = 0;
    let responses = 0;
    const titles: string[] = [];
    for (const c of campaigns) {
      const dates = quarterDates(parseQuarter(c.quarter));
      if (dates.first < period.from || dates.last > period.to) continue;
      const target = (await campaignResults(ctx.db, c.id)).targets.find((t) => t.key === PROPERTY_TARGET);
      if (!target || target.mean === null || target.responses === 0) continue;
      sum += target.mean * target.responses;
      responses += target.responses;
      titles.push(c.quarter);
    }
    if (responses > 0) evaluation = { mean: sum / responses, responses, campaigns: titles.sort() };
  }

  const reminderLetters = letters.filter((l) => l.kind === 'reminder').length;
  const warningLetters = letters.filter((l) => l.kind === 'warning').length;
  const onTime = kpis.totals.onTimeRate;
  const satisfaction = kpis.totals.satisfactionRate;
  const score = creditScore(community.config.credit, {
    reminderLetters,
    warningLetters,
    lapses: lapses!.n,
    onTime,
    satisfaction,
    evaluation: evaluation && { mean: evaluation.mean, responses: evaluation.responses },
  });
  return {
    community: { key: community.key, name: community.name },
    org: q.org,
    orgName: ORG_NAMES[q.org],
    period: { key: period.key, label: period.label, from: period.from, to: period.to },
    letters: letters.map((l) => ({
      id: l.id,
      number: l.number,
      kind: l.kind,
      kindName: LETTER_KIND_NAMES[l.kind],
      createdAt: l.createdAt.toISOString(),
      acknowledgedAt: l.acknowledgedAt?.toISOString() ?? null,
    })),
    reminderLetters,
    warningLetters,
    lapses: lapses!.n,
    onTime,
    satisfaction,
    evaluation,
    evaluationNote:
      q.org === 'property'
        ? evaluation
          ? `居民评议：${evaluation.campaigns.join('、')}，物业公司平均 ${evaluation.mean.toFixed(2)} 分（${evaluation.responses} 户）`
          : '本期间没有已结束的居民评议'
        : '居民评议的对象是各责任区域和物业公司，本单位不单独评议',
    score,
  };
}
