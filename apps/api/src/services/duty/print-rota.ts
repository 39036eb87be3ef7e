import {
  addDays,
  countsFor,
  DAY_KIND_NAMES,
  dayNumber,
  escapeMarkup,
  holidayName,
  isOffDay,
  ORG_NAMES,
  ORGS,
  type Org,
  weekdayName,
} from '@gongzhi/domain';
import { communityId } from '../communities/community-id';
import { calendarOf, getCommunity, type ServiceContext } from '../context';
import { type FeedKeys, requireRotaReader } from './duty-feed';
import {
  dutySetupOf,
  loadPublishedShiftRows,
  peopleWithChoices,
  publicContactOf,
  sortShiftRows,
} from './duty-setup';

const lastDayOf = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
};

/**
 * The monthly rota notice (值班表公示) as a printable page: A4, one table per week (Monday first),
 * a row per shift and organisation, the names in each day's cell; a place nobody holds says 缺岗
 * so a gap shows on paper too. Holidays and make-up workdays are named in the day's heading.
 */
export async function printRota(
  ctx: ServiceContext,
  keys: FeedKeys,
  key: string,
  q: { month: string; feed?: string | undefined },
): Promise<string> {
  const community = getCommunity(ctx, key);
  await requireRotaReader(ctx, keys, community, q.feed);
  const setup = dutySetupOf(ctx, community);
  const cal = calendarOf(ctx, community);
  const from = `${q.month}-01`;
  const to = lastDayOf(q.month);
  const cid = await communityId(ctx.db, key);
  const rows = sortShiftRows(setup, await loadPublishedShiftRows(ctx.db, cid, from, to));
  const people = await peopleWithChoices(ctx.db, community, cid, [...new Set(rows.map((r) => r.person))]);
  const name = (k: string) => people.get(k)?.name ?? k;

  const byPlace = new Map<string, string[]>();
  for (const r of rows) {
    const k = `${r.date}|${r.shift}|${r.org}`;
    byPlace.set(k, [...(byPlace.get(k) ?? []), name(r.person)]);
  }
  // The rows of each week's table: every (shift, organisation) the rules or the rota ever staff.
  const lines: { shift: string; org: Org }[] = [];
  for (const def of setup.config.shifts) {
    for (const org of ORGS) {
      const needed =
        (countsFor(setup.config, def, 'workday')[org] ?? 0) +
        (countsFor(setup.config, def, 'weekend')[org] ?? 0);
      if (needed > 0 || rows.some((r) => r.shift === def.key && r.org === org))
        lines.push({ shift: def.key, org });
    }
  }

  // Monday of the week holding the 1st, then whole weeks until the month ends.
  const firstDow = (((dayNumber(from) + 4) % 7) + 7) % 7;
  let monday = addDays(from, -((firstDow + 6) % 7));
  const weeks: string[][] = [];
  while (monday <= to) {
    weeks.push(Array.from({ length: 7 }, (_, i) => addDays(monday, i)));
    monday = addDays(monday, 7);
  }

  const [year, month] = q.month.split('-').map(Number);
  const title = `${community.name} ${year}年${month}月 全岗通值班表`;
  const tables = weeks.map((days, w) => {
    const head = days
      .map((d) => {
        if (d < from || d > to) return '<th class="out"></th>';
        const kind = setup.dayKind(d);
        const note = holidayName(cal, d) ?? (kind === 'weekend' ? DAY_KIND_NAMES.weekend : '');
        return `<th class="${isOffDay(kind) ? 'off' : ''}">${Number(d.slice(8))}日 ${weekdayName(d)}${note ? `<br><small>${escapeMarkup(note)}</small>` : ''}</th>`;
      })
      .join('');
    const body = lines
      .map(({ shift, org }) => {
        const def = setup.defs.get(shift)!;
        const cells = days
          .map((d) => {
            if (d < from || d > to) return '<td class="out"></td>';
            const needed = countsFor(setup.config, def, setup.dayKind(d))[org] ?? 0;
            const names = byPlace.get(`${d}|${shift}|${org}`) ?? [];
            if (names.length === 0 && needed === 0) return '<td class="none">—</td>';
            const short = names.length < needed ? '<span class="short">缺岗</span>' : '';
            return `<td>${names.map(escapeMarkup).join('<br>')}${names.length && short ? '<br>' : ''}${short}</td>`;
          })
          .join('');
        return `<tr><th class="line">${escapeMarkup(def.name)}<br><small>${ORG_NAMES[org]}</small></th>${cells}</tr>`;
      })
      .join('\n');
    return `<table><caption>第 ${w + 1} 周</caption><thead><tr><th class="line"></th>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
  });

  const hours = setup.config.shifts
    .map((d) => `${escapeMarkup(d.name)} ${d.start}–${d.end <= d.start ? '次日 ' : ''}${d.end}`)
    .join('；');
  const staffing = (kind: 'workday' | 'weekend') =>
    ORGS.filter((org) =>
      setup.config.shifts.some((def) => (countsFor(setup.config, def, kind)[org] ?? 0) > 0),
    )
      .map((org) => ORG_NAMES[org])
      .join('、') || '无';
  const contacts = [...new Set(rows.map((r) => r.person))]
    .map((k) => [name(k), publicContactOf(people.get(k))] as const)
    .filter(([, phone]) => phone)
    .map(([n, phone]) => `${escapeMarkup(n)} ${phone}`)
    .join('；');

  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>${escapeMarkup(title)}</title>
<style>
@page { size: A4 portrait; margin: 12mm; }
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #000; margin: 0; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm; }
p.meta { font-size: 10pt; margin: 0 0 4mm; text-align: center; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 5mm; page-break-inside: avoid; break-inside: avoid; font-size: 10pt; }
caption { text-align: left; font-weight: bold; margin-bottom: 1mm; }
th, td { border: 0.3mm solid #000; padding: 1mm; text-align: center; vertical-align: middle; word-break: break-all; }
th.line { width: 16%; }
th.off { background: #eee; }
td.out, th.out { border: none; background: none; }
td.none { color: #888; }
.short { font-weight: bold; }
small { font-weight: normal; font-size: 8pt; }
footer { font-size: 9pt; margin-top: 4mm; }
@media screen { body { max-width: 210mm; margin: 8mm auto; } }
</style></head>
<body>
<h1>${escapeMarkup(title)}</h1>
<p class="meta">班次时间：${hours}。工作日（含调休上班日）值班：${staffing('workday')}；周末及法定节假日值班：${staffing('weekend')}。</p>
${tables.join('\n')}
<footer>${contacts ? `值班联系电话：${contacts}。<br>` : ''}如有调整，以“共治”小程序中的值班表为准。</footer>
</body></html>
`;
}
