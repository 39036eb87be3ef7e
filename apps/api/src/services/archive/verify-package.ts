import { ArchiveManifest, MANIFEST_PATH, type ManifestCheck, verifyManifest } from '@gongzhi/domain';
import { readZipEntries, sha256Of } from './zip';

export type PackageCheck =
  | { readable: false; reason: string }
  | ({ readable: true; manifest: ArchiveManifest; unreadable: string[] } & ManifestCheck);

/**
 * Check a package against its own manifest: every listed file present with its size and SHA-256,
 * nothing extra, nothing damaged. The domain compares; this reads the zip and hashes.
 */
export function verifyPackage(zip: Uint8Array): PackageCheck {
  let read: ReturnType<typeof readZipEntries>;
  try {
    read = readZipEntries(zip);
  } catch (err) {
    return { readable: false, reason: `不是有效的 zip 归档包，目录无法读取（${(err as Error).message}）` };
  }
  const manifestEntry = read.entries.find((e) => e.path === MANIFEST_PATH);
  if (!manifestEntry) {
    return {
      readable: false,
      reason: read.unreadable.includes(MANIFEST_PATH)
        ? 'manifest.json 已损坏，无法读取'
        : '包内没有 manifest.json',
    };
  }
  let manifest: ArchiveManifest;
  try {
    manifest = ArchiveManifest.parse(JSON.parse(Buffer.from(manifestEntry.data).toString('utf8')));
  } catch {
    return { readable: false, reason: 'manifest.json 已被改动，不是有效的清单' };
  }
  const check = verifyManifest(
    manifest,
    read.entries.map((e) => ({ path: e.path, bytes: e.data.length, sha256: sha256Of(e.data) })),
  );
  // A damaged entry is not "missing": it is there and changed beyond reading.
  const unreadable = read.unreadable.filter((p) => p !== MANIFEST_PATH);
  const missing = check.missing.filter((p) => !unreadable.includes(p));
  return {
    readable: true,
    manifest,
    ...check,
    missing,
    unreadable,
    ok: check.ok && unreadable.length === 0,
  };
}
