import {
  CADENCE_NAMES,
  Conflict,
  cadenceRecord,
  cadenceSummary,
  type EvaluationReportView,
  escapeMarkup,
  Forbidden,
  localDateOf,
  parseReportPeriod,
  type ReportPeriod,
  readsEvaluationReport,
  reportActions,
  reportPeriodStarted,
} from '@gongzhi/domain';
import { communityId } from '../communities/community-id';
import { actorIn, callerOf, getCommunity, type ServiceContext } from '../context';
import { creditFile } from '../credit/credit-file';
import { heldJointMeetingDates } from '../followup/pressure';

/** The four parties of 四位一体 the report covers (the grid inspectors are not one of them). */
const PARTIES = ['party', 'rc', 'oc', 'property'] as const;

const periodQuery = (p: ReportPeriod) =>
  p.kind === 'quarter' ? { period: p.key } : { from: p.from, to: p.to };

/**
 * The quarterly or annual evaluation report (seed 001 §七.4) for the four parties: each one's credit
 * file for the period (letters, lapses, on-time rate, 满意率, the residents' evaluation, the score),
 * and the joint meetings held against the configured cadence. Read by those who read everything.
 */
export async function evaluationReport(
  ctx: ServiceContext,
  key: string,
  q: { period: string },
): Promise<EvaluationReportView> {
  const community = getCommunity(ctx, key);
  const actor = actorIn(callerOf(ctx), community);
  if (!readsEvaluationReport(actor)) {
    throw Forbidden('report_not_permitted', '只有社区领导小组、联席会议秘书和物业经理可以查看评估报告');
  }
  const period = parseReportPeriod(q.period, 'querystring.period');
  const today = localDateOf(ctx.now(), community.config.timezone);
  if (!reportPeriodStarted(period, today)) {
    throw Conflict('report_period_future', `${period.label}尚未开始，不能生成评估报告`);
  }
  const parties = [];
  for (const org of PARTIES) {
    const f = await creditFile(ctx, key, { org, ...periodQuery(period) });
    parties.push({
      org,
      orgName: f.orgName,
      reminderLetters: f.reminderLetters,
      warningLetters: f.warningLetters,
      lapses: f.lapses,
      onTime: f.onTime,
      satisfaction: f.satisfaction,
      evaluationNote: f.evaluationNote,
      score: f.score.score,
    });
  }
  const cadence = community.config.meetings.jointMeeting.cadence;
  const held = (await heldJointMeetingDates(ctx, community, await communityId(ctx.db, key))).filter(
    (d) => d >= period.from && d <= period.to,
  );
  const windows = cadenceRecord(cadence, period.from, period.to, held, today);
  return {
    community: { key: community.key, name: community.name },
    period,
    title: `${community.name}“四位一体”${period.label}${period.kind === 'quarter' ? '评估报告' : '评估报告（年度）'}`,
    generatedAt: ctx.now().toISOString(),
    parties,
    meetings: {
      cadence,
      cadenceName: CADENCE_NAMES[cadence],
      held: held.length,
      windows: windows.map(({ key: k, label, held: n, missed, open }) => ({
        key: k,
        label,
        held: n,
        missed,
        open,
      })),
      missed: windows.filter((w) => w.missed).length,
      summary: cadenceSummary(windows),
    },
    allowedActions: reportActions(actor),
  };
}

const pct = (r: { numerator: number; denominator: number; value: number | null }) =>
  r.value === null
    ? `${r.numerator}/${r.denominator}（无数据）`
    : `${r.numerator}/${r.denominator} = ${(r.value * 100).toFixed(1)}%`;

/** The same report as a printable A4 page (the browser prints it to PDF). */
export async function printEvaluationReport(ctx: ServiceContext, key: string, q: { period: string }) {
  const r = await evaluationReport(ctx, key, q);
  const tz = getCommunity(ctx, key).config.timezone;
  const e = escapeMarkup;
  const rows = r.parties
    .map(
      (p) =>
        `<tr><th>${e(p.orgName)}</th><td>${p.reminderLetters}</td><td>${p.warningLetters}</td><td>${p.lapses}</td><td>${pct(p.onTime)}</td><td>${pct(p.satisfaction)}</td><td>${p.score.toFixed(2)}</td></tr>`,
    )
    .join('\n');
  const notes = r.parties.map((p) => `<li>${e(p.orgName)}：${e(p.evaluationNote)}</li>`).join('');
  const windows = r.meetings.windows
    .map(
      (w) =>
        `<tr><th>${e(w.label)}</th><td>${w.held}</td><td class="${w.missed ? 'missed' : ''}">${w.missed ? '未召开' : w.open ? '进行中' : '已召开'}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>${e(r.title)}</title>
<style>
@page { size: A4 portrait; margin: 15mm; }
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; margin: 0; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; }
p.meta { font-size: 10pt; text-align: center; margin: 0 0 4mm; }
table { width: 100%; border-collapse: collapse; font-size: 10pt; margin-bottom: 3mm; }
th, td { border: 1px solid #000; padding: 1.5mm; text-align: center; }
td.missed { font-weight: bold; }
ul { font-size: 10pt; padding-left: 5mm; }
footer { font-size: 9pt; margin-top: 6mm; }
</style></head><body>
<h1>${e(r.title)}</h1>
<p class="meta">${e(r.period.from)} 至 ${e(r.period.to)}</p>
<h2>一、四方考核情况</h2>
<table><thead><tr><th>单位</th><th>提示函</th><th>警示函</th><th>失职记录</th><th>按时办结率</th><th>满意率</th><th>诚信得分</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<ul>${notes}</ul>
<h2>二、联席会议制度执行情况</h2>
<p>制度要求：${e(r.meetings.cadenceName)}。${e(r.meetings.summary)}。</p>
<table><thead><tr><th>期间</th><th>召开次数</th><th>情况</th></tr></thead>
<tbody>
${windows}
</tbody></table>
<footer>${e(r.community.name)}党建引领“四位一体”社区事务管理办公室　生成于 ${e(localDateOf(new Date(r.generatedAt), tz))}</footer>
</body></html>`;
}
