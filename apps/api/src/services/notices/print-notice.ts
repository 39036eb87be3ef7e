import { chineseDate, escapeMarkup, NOTICE_STATUS_NAMES, periodLabel, periodText } from '@gongzhi/domain';
import { PRINT_BUTTON } from '../../lib/content-security';
import type { ServiceContext } from '../context';
import { loadNotice } from './notice-store';

/**
 * A notice as a printable A4 page in Chinese: the community's name, the title, the number and the
 * date, the body, the notice period, and the issuing body. What is not (or no longer) the
 * published text says so across the page, so a draft or a corrected notice is never posted by mistake.
 */
export async function printNotice(ctx: ServiceContext, id: string): Promise<string> {
  const { row, community } = await loadNotice(ctx, ctx.db, id);
  const tz = community.config.timezone;
  const date = chineseDate(row.publishedAt ?? row.createdAt, tz);
  const stamp =
    row.status === 'published'
      ? null
      : `${NOTICE_STATUS_NAMES[row.status]}${row.status === 'draft' || row.status === 'approved' ? '（未发布）' : ''}`;
  const span = periodText({ start: row.periodStart, end: row.periodEnd, days: row.periodDays }, tz);
  const period = span ? `${periodLabel(row.kind)}：${span}` : null;
  const paragraphs = row.body
    .split('\n')
    .map((line) => (line.trim() === '' ? '<p class="gap"></p>' : `<p>${escapeMarkup(line)}</p>`))
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>${escapeMarkup(row.title)}</title>
<style>
@page { size: A4 portrait; margin: 20mm 18mm; }
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; margin: 0; font-size: 12pt; line-height: 1.8; }
header { text-align: center; border-bottom: 0.6mm solid #b3261e; padding-bottom: 3mm; margin-bottom: 6mm; }
header .org { color: #b3261e; font-size: 20pt; font-weight: bold; letter-spacing: 2mm; }
header .no { font-size: 11pt; margin-top: 2mm; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 6mm; }
p { margin: 0; white-space: pre-wrap; }
p.gap { height: 4mm; }
.period { margin-top: 5mm; font-weight: bold; }
.sign { margin-top: 12mm; text-align: right; }
.stamp { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 48pt; color: rgba(179, 38, 30, 0.18); transform: rotate(-20deg); pointer-events: none; }
.actions { text-align: center; margin: 6mm 0; }
@media print { .actions { display: none; } }
@media screen { body { max-width: 210mm; margin: 10mm auto; padding: 0 8mm; } }
</style></head>
<body>
${stamp ? `<div class="stamp">${escapeMarkup(stamp)}</div>` : ''}
<header><div class="org">${escapeMarkup(community.name)}</div><div class="no">${escapeMarkup(row.number ?? '（发布时编号）')}</div></header>
<h1>${escapeMarkup(row.title)}</h1>
${paragraphs}
${period ? `<p class="period">${escapeMarkup(period)}</p>` : ''}
<div class="sign"><p>${escapeMarkup(community.name)}党建引领“四位一体”工作领导小组</p><p>${date}</p></div>
${PRINT_BUTTON}
</body></html>
`;
}
