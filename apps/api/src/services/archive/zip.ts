import { createHash } from 'node:crypto';
import type { ManifestFile } from '@gongzhi/domain';
import { unzipSync, type Zippable, zipSync } from 'fflate';
import type { PackageFile } from './section';

export const sha256Of = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export const manifestEntryOf = (f: PackageFile): ManifestFile => ({
  path: f.path,
  bytes: f.data.length,
  sha256: sha256Of(f.data),
});

/**
 * A zip (readable everywhere, including Windows Explorer): text deflated, photos and the PDF stored
 * as they are. Entries carry the archive's own time, so the same content makes the same bytes.
 */
export function zipPackage(files: readonly PackageFile[], mtime: Date): Buffer {
  const zippable: Zippable = {};
  for (const f of files) zippable[f.path] = [f.data, { level: f.stored ? 0 : 6, mtime }];
  return Buffer.from(zipSync(zippable));
}

export interface ReadEntries {
  entries: { path: string; data: Uint8Array }[];
  /** Entries listed in the zip's directory whose content cannot be read back. */
  unreadable: string[];
}

/**
 * Every entry of a zip, each read on its own so a damaged one is named instead of failing the
 * whole package. Throws only when the zip's directory itself cannot be read.
 */
export function readZipEntries(zip: Uint8Array): ReadEntries {
  const names: string[] = [];
  unzipSync(zip, {
    filter: (f) => {
      names.push(f.name);
      return false;
    },
  });
  const entries: ReadEntries['entries'] = [];
  const unreadable: string[] = [];
  for (const name of names) {
    if (name.endsWith('/')) continue;
    try {
      const one = unzipSync(zip, { filter: (f) => f.name === name });
      const data = one[name];
      if (data) entries.push({ path: name, data });
      else unreadable.push(name);
    } catch {
      unreadable.push(name);
    }
  }
  return { entries, unreadable };
}
