import { escapeMarkup, type GeneratedCodes } from '@gongzhi/domain';

/**
 * The code slips as a printable A4 page: eight per sheet, cut along the dashed lines, each with
 * the household it is for (so it reaches the right door), the code and how to use it.
 */
export function renderSlips(a: GeneratedCodes & { title: string; communityName: string }): string {
  const slips = a.codes
    .map(
      (c) => `<div class="slip">
  <div class="head">${escapeMarkup(a.title)}</div>
  <div class="home">${escapeMarkup(c.household)} <small>${escapeMarkup(c.zoneName)}</small></div>
  <div class="code">${escapeMarkup(c.code)}</div>
  <ol>
    <li>微信打开“共治”小程序，首页点“居民评议”，选择“输入评议码”。</li>
    <li>为各责任区域和物业公司打分（1–5 星），不了解的可选“不了解”。</li>
  </ol>
  <div class="note">每户一码，只能使用一次。评议结果只公布汇总，不公开每户的评分。</div>
</div>`,
    )
    .join('\n');
  const skipped = a.skipped.length
    ? `<p class="skipped">未生成（${a.skipped.length} 户）：${a.skipped
        .map((s) => `${escapeMarkup(s.household)}（${escapeMarkup(s.reason)}）`)
        .join('；')}</p>`
    : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>${escapeMarkup(a.title)} · 评议码（第 ${a.batch} 批）</title>
<style>
  @page { size: A4; margin: 10mm; }
  body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif; margin: 0; color: #222; }
  .intro { margin: 0 0 4mm; font-size: 12px; color: #555; }
  .sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
  .slip { border: 1px dashed #999; padding: 5mm; height: 62mm; box-sizing: border-box; break-inside: avoid; }
  .head { font-weight: bold; font-size: 14px; color: #b3261e; }
  .home { font-size: 18px; margin: 2mm 0; }
  .home small { font-size: 12px; color: #666; }
  .code { font-family: "DejaVu Sans Mono", monospace; font-size: 24px; letter-spacing: 2px; font-weight: bold; margin: 2mm 0; }
  ol { margin: 1mm 0; padding-left: 5mm; font-size: 11px; }
  .note { font-size: 10px; color: #666; }
  .skipped { font-size: 11px; color: #a00; }
  @media print { .intro, .skipped { display: none; } }
</style></head>
<body>
<p class="intro">${escapeMarkup(a.communityName)} · 第 ${a.batch} 批，共 ${a.codes.length} 张。评议码只在此页显示一次，请立即打印，沿虚线裁开后逐户发放。</p>
${skipped}
<div class="sheet">
${slips}
</div>
</body></html>`;
}
