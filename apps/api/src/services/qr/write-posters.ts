import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Community } from '@gongzhi/domain';
import { type QrCodeEntry, type QrTarget, qrTargetsOf } from '@gongzhi/domain';
import type { QrKeys } from '../../lib/qr-sign';
import { qrEntryFor } from './list-qr-codes';
import { renderPoster } from './render-poster';

export interface PosterFile {
  file: string;
  entry: QrCodeEntry;
}

/** building-012.png, zone-commercial.png, facility-pump-room-12.png: sorted as printed. */
export function posterFileName(target: QrTarget): string {
  if (target.kind === 'building') return `building-${String(target.building).padStart(3, '0')}.png`;
  return target.kind === 'zone' ? `zone-${target.zone}.png` : `facility-${target.facility}.png`;
}

/**
 * One PNG per building, per zone without numbered buildings and per facility. A few renders run
 * at once: librsvg is single-threaded per image, so a small pool uses the cores without piling
 * up memory (each poster is ~9 MB of pixels while it renders).
 */
export async function writePosters({
  community,
  qr,
  outDir,
  targets = qrTargetsOf(community),
  concurrency = Math.min(4, availableParallelism()),
}: {
  community: Community;
  qr: QrKeys;
  outDir: string;
  targets?: QrTarget[];
  concurrency?: number;
}): Promise<PosterFile[]> {
  await mkdir(outDir, { recursive: true });
  const results: PosterFile[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i]!;
      const entry = qrEntryFor(community, target, qr);
      const file = path.join(outDir, posterFileName(target));
      await writeFile(file, await renderPoster(community, entry));
      results[i] = { file, entry };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return results;
}
