import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Community } from '@gongzhi/domain';
import PDFDocument from 'pdfkit';
import type { PosterFile } from './write-posters';

/** A4 in PDF points (1/72 inch). */
const A4 = { width: 595.28, height: 841.89 };

export const zonePdfName = (zoneKey: string) => `print-${zoneKey}.pdf`;

/**
 * For the print shop: one PDF per zone, one A4 page per poster in the order they were written
 * (buildings by number, then the zone's own and its facilities'), each poster filling the page.
 */
export async function writeZonePdfs(
  community: Community,
  posters: PosterFile[],
  outDir: string,
): Promise<{ file: string; zone: string; pages: number }[]> {
  const byZone = new Map<string, PosterFile[]>();
  for (const p of posters) byZone.set(p.entry.zone.key, [...(byZone.get(p.entry.zone.key) ?? []), p]);
  const written: { file: string; zone: string; pages: number }[] = [];
  for (const [zone, files] of byZone) {
    const file = path.join(outDir, zonePdfName(zone));
    const doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      autoFirstPage: false,
      info: {
        Title: `${community.name} ${community.zones.get(zone)?.name ?? zone} 二维码海报`,
        Creator: 'gongzhi',
      },
    });
    const done = pipeline(doc, createWriteStream(file));
    for (const p of files) {
      doc.addPage({ size: 'A4', margin: 0 });
      doc.image(await readFile(p.file), 0, 0, { width: A4.width, height: A4.height });
    }
    doc.end();
    await done;
    written.push({ file, zone, pages: files.length });
  }
  return written;
}
