import { existsSync } from 'node:fs';
import { DomainError } from '@gongzhi/domain';
import PDFDocument from 'pdfkit';
import type { SummaryBlock } from './section';

/**
 * The readable summary needs a font with Chinese glyphs; PDF's standard fonts have none. Looked for
 * in this order: ARCHIVE_FONT (a .ttf/.otf file, or `file.ttc#PostScriptName` for a collection),
 * then the fonts Debian installs (.ci/run installs fonts-wqy-zenhei). Without one, archiving is
 * refused (503) before anything is written or locked: a package without its summary cannot be
 * made again later, because a quarter is archived once.
 */
const CANDIDATES: { file: string; postscriptName?: string }[] = [
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', postscriptName: 'WenQuanYiZenHei' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', postscriptName: 'WenQuanYiMicroHei' },
];

export interface CjkFont {
  file: string;
  postscriptName?: string;
}

export function findCjkFont(env: string | undefined = process.env.ARCHIVE_FONT): CjkFont | null {
  if (env) {
    const [file, postscriptName] = env.split('#') as [string, string | undefined];
    return existsSync(file) ? { file, ...(postscriptName ? { postscriptName } : {}) } : null;
  }
  return CANDIDATES.find((c) => existsSync(c.file)) ?? null;
}

/** The font, or 503 archive_font_missing before anything is written or locked. */
export function requireCjkFont(): CjkFont {
  const font = findCjkFont();
  if (!font) {
    throw new DomainError(
      'unavailable',
      'archive_font_missing',
      '服务器缺少中文字体，无法生成归档摘要 PDF；请安装 fonts-wqy-zenhei 或设置 ARCHIVE_FONT 后重试（本季度尚未归档）',
    );
  }
  return font;
}

export interface SummaryInput {
  title: string;
  meta: string[];
  blocks: SummaryBlock[];
  files: { path: string; bytes: number; sha256: string }[];
  createdAt: Date;
}

const MARGIN = 56;

/** Render the summary as an A4 PDF with the given CJK font. */
export function renderSummaryPdf(input: SummaryInput, font: CjkFont): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: input.title, Creator: 'gongzhi 共治', CreationDate: input.createdAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.file, font.postscriptName as string);
  doc.font('cjk');
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN;

  doc.fontSize(18).text(input.title, { align: 'center' });
  doc.moveDown(0.6);
  doc.fontSize(10).fillColor('#444');
  for (const m of input.meta) doc.text(m);
  doc.fillColor('#000');

  for (const block of input.blocks) {
    doc.moveDown(1);
    if (doc.y > bottom() - 60) doc.addPage();
    doc.fontSize(14).text(block.heading);
    doc.moveDown(0.3);
    doc.fontSize(10.5);
    for (const line of block.lines) doc.text(line, { width });
    for (const table of block.tables) {
      if (!table.rows.length) continue;
      doc.moveDown(0.5);
      if (doc.y > bottom() - 40) doc.addPage();
      doc.fontSize(11).text(table.title);
      doc.fontSize(10);
      for (const [label, n] of table.rows) {
        if (doc.y > bottom() - 16) doc.addPage();
        const y = doc.y;
        doc.text(label, MARGIN + 16, y, { width: width - 120, lineBreak: false, ellipsis: true });
        doc.text(String(n), MARGIN + width - 80, y, { width: 80, align: 'right' });
        doc.x = MARGIN;
      }
    }
  }

  doc.moveDown(1);
  if (doc.y > bottom() - 60) doc.addPage();
  doc.fontSize(14).text('文件与校验');
  doc.moveDown(0.3);
  doc
    .fontSize(10.5)
    .text(
      `包内共 ${input.files.length + 2} 个文件。manifest.json 列出除它自身以外每个文件的大小和 SHA-256；` +
        '本摘要无法包含自身的校验值。核对整个包：pnpm gongzhi archive verify <包文件>。以下为数据文件（照片见 manifest.json）：',
      { width },
    );
  doc.moveDown(0.3);
  doc.fontSize(8);
  for (const f of input.files.filter((f) => !f.path.startsWith('photos/'))) {
    if (doc.y > bottom() - 12) doc.addPage();
    doc.text(`${f.path}  ${f.bytes} 字节  ${f.sha256}`, { width });
  }
  doc.end();
  return done;
}
