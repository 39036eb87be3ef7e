import { type Community, escapeMarkup, ORG_NAMES, type QrCodeEntry } from '@gongzhi/domain';
import QRCode from 'qrcode';
import sharp from 'sharp';

/** The layout's units: A4 portrait at 150 units to the inch. */
export const POSTER_WIDTH = 1240;
export const POSTER_HEIGHT = 1754;
/** Printed at 300 dpi: the PNG is twice the layout, and says 300 dpi so "actual size" prints A4. */
export const POSTER_DPI = 300;
const SCALE = POSTER_DPI / 150;
export const POSTER_PIXELS = { width: POSTER_WIDTH * SCALE, height: POSTER_HEIGHT * SCALE };

export const POSTER_INSTRUCTION = '扫码反映问题：无需注册，可上传照片，凭查询码跟踪处理进度';

// librsvg finds fonts through fontconfig; without a CJK font Chinese renders as boxes.
const FONT = "'WenQuanYi Zen Hei', sans-serif";
const ACCENT = '#b3261e';
const MARGIN = 80;
const QR_BOX = 640;
const QR_TOP = 540;

/** Rough advance in ems: CJK and full-width characters are square, the rest about half. */
const emWidth = (text: string) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e7f ? 1 : 0.58), 0);

/** The largest size ≤ max at which the text fits the width. */
const fit = (text: string, width: number, max: number) => Math.min(max, Math.floor(width / emWidth(text)));

function text(
  content: string,
  x: number,
  y: number,
  size: number,
  opts: { anchor?: 'start' | 'middle' | 'end'; bold?: boolean; fill?: string; family?: string } = {},
) {
  return `<text x="${x}" y="${y}" font-family="${opts.family ?? FONT}" font-size="${size}"${
    opts.bold ? ' font-weight="bold"' : ''
  } fill="${opts.fill ?? '#1a1a1a'}" text-anchor="${opts.anchor ?? 'start'}">${escapeMarkup(content)}</text>`;
}

/**
 * The QR symbol as one path, with whole-pixel modules and a 4-module quiet zone: fractional
 * module sizes anti-alias the edges and make cheap phone cameras misread small codes.
 */
function qrSymbol(url: string, top: number) {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'Q' });
  const n = modules.size;
  const quiet = 4;
  const px = Math.floor(QR_BOX / (n + 2 * quiet));
  const side = px * (n + 2 * quiet);
  const left = Math.round((POSTER_WIDTH - side) / 2);
  let d = '';
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.get(row, col)) col++;
      d += `M${start + quiet} ${row + quiet}h${col - start}v1h${start - col}z`;
    }
  }
  return {
    side,
    svg:
      `<rect x="${left}" y="${top}" width="${side}" height="${side}" fill="#fff"/>` +
      `<svg x="${left}" y="${top}" width="${side}" height="${side}" viewBox="0 0 ${n + 2 * quiet} ${
        n + 2 * quiet
      }" shape-rendering="crispEdges"><path d="${d}" fill="#000"/></svg>`,
  };
}

/** The poster's headline: the building number big, or the facility / zone name. */
function headline(community: Community, entry: QrCodeEntry) {
  const mid = POSTER_WIDTH / 2;
  const width = POSTER_WIDTH - 2 * MARGIN;
  if (entry.kind === 'building') {
    return (
      `<text x="${mid}" y="400" font-family="${FONT}" fill="#1a1a1a" text-anchor="middle">` +
      `<tspan font-size="240" font-weight="bold">${entry.building}</tspan>` +
      `<tspan font-size="96" dx="20">号楼</tspan></text>` +
      text(entry.zone.name, mid, 490, 56, { anchor: 'middle', fill: ACCENT, bold: true })
    );
  }
  if (entry.kind === 'facility') {
    const where = [entry.building !== null ? `${entry.building} 号楼` : null, entry.zone.name]
      .filter(Boolean)
      .join(' · ');
    const sub = `${where} · 问题类别：${entry.category?.name ?? ''}`;
    return (
      text(entry.facility!.name, mid, 380, fit(entry.facility!.name, width, 150), {
        anchor: 'middle',
        bold: true,
      }) + text(sub, mid, 490, fit(sub, width, 48), { anchor: 'middle', fill: ACCENT, bold: true })
    );
  }
  const note =
    community.zones.get(entry.zone.key)?.note ?? '本区域无楼号：扫码上报时已自动选择本区域，请写明具体位置';
  return (
    text(entry.zone.name, mid, 380, fit(entry.zone.name, width, 160), { anchor: 'middle', bold: true }) +
    text(note, mid, 490, fit(note, width, 36), { anchor: 'middle', fill: ACCENT })
  );
}

/** The zone's leader and members with their organisations (and contact, if they chose to show it). */
function roster(community: Community, zoneKey: string, top: number) {
  const zone = community.zones.get(zoneKey)!;
  const people = [{ role: '组长', ...zone.leader }, ...zone.members.map((m) => ({ role: '成员', ...m }))].map(
    ({ role, person, org }) => {
      const p = community.people.get(person);
      const contact = p?.showContact && p.phone ? ` ${p.phone}` : '';
      return `${role}  ${p?.name ?? person}（${ORG_NAMES[org]}）${contact}`;
    },
  );
  const colWidth = (POSTER_WIDTH - 2 * MARGIN - 40) / 2;
  const rows = Math.ceil(people.length / 2);
  // Room above the small print at the foot; a long roster packs closer rather than overflowing.
  const rowHeight = Math.min(56, Math.floor((POSTER_HEIGHT - 130 - (top + 70)) / Math.max(rows - 1, 1)));
  let svg = text('本区域责任人', MARGIN, top, 40, { bold: true });
  people.forEach((line, i) => {
    const x = MARGIN + (i % 2) * (colWidth + 40);
    const y = top + 70 + Math.floor(i / 2) * rowHeight;
    svg += text(line, x, y, fit(line, colWidth, 34));
  });
  return svg;
}

/** The poster as SVG: header, headline, QR code, instruction, zone roster, the URL in small print. */
export function posterSvg(community: Community, entry: QrCodeEntry): string {
  const W = POSTER_WIDTH;
  const qr = qrSymbol(entry.url, QR_TOP);
  const instructionY = QR_TOP + qr.side + 70;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${POSTER_HEIGHT}" viewBox="0 0 ${W} ${POSTER_HEIGHT}">`,
    `<rect width="${W}" height="${POSTER_HEIGHT}" fill="#fff"/>`,
    `<rect width="${W}" height="150" fill="${ACCENT}"/>`,
    text(community.name, MARGIN, 98, 54, { bold: true, fill: '#fff' }),
    text('问题反映二维码', W - MARGIN, 96, 38, { anchor: 'end', fill: '#fff' }),
    headline(community, entry),
    qr.svg,
    text(POSTER_INSTRUCTION, W / 2, instructionY, fit(POSTER_INSTRUCTION, W - 2 * MARGIN, 42), {
      anchor: 'middle',
      bold: true,
    }),
    `<line x1="${MARGIN}" y1="${instructionY + 50}" x2="${W - MARGIN}" y2="${instructionY + 50}" stroke="#ccc" stroke-width="2"/>`,
    roster(community, entry.zone.key, instructionY + 110),
    text('无法扫码时，可用浏览器打开：', W / 2, POSTER_HEIGHT - 76, 22, { anchor: 'middle', fill: '#666' }),
    text(entry.url, W / 2, POSTER_HEIGHT - 42, fit(entry.url, W - 2 * MARGIN, 24), {
      anchor: 'middle',
      fill: '#666',
      family: "'DejaVu Sans Mono', monospace",
    }),
    '</svg>',
  ].join('');
}

/** The poster as a PNG of POSTER_PIXELS at POSTER_DPI (recorded in the file's pHYs). */
export async function renderPoster(community: Community, entry: QrCodeEntry): Promise<Buffer> {
  // librsvg renders an SVG of N units at N × density / 72 pixels.
  // zlib level 6 (the default): level 9 made a full run 2.5× slower for files only ~25% smaller.
  return sharp(Buffer.from(posterSvg(community, entry)), { density: 72 * SCALE })
    .flatten({ background: '#fff' })
    .png({ compressionLevel: 6 })
    .withMetadata({ density: POSTER_DPI })
    .toBuffer();
}
