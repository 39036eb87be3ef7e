import { ArchiveManifest, MANIFEST_PATH, type ManifestCheck, verifyManifest } from '@gongzhi/domain';
import { checkSignature, SIGNATURE_PATH, type SignatureCheck } from './signing';
import { readZipEntries, sha256Of } from './zip';

export type PackageCheck =
  | { readable: false; reason: string }
  | ({
      readable: true;
      manifest: ArchiveManifest;
      unreadable: string[];
      /** Was manifest.json signed by the trusted archive key? */
      signature: SignatureCheck;
      /** The whole package's SHA-256, and whether it is the one recorded at archiving (null: not given). */
      sha256: string;
      recordedHashMatches: boolean | null;
    } & ManifestCheck);

/**
 * Check a package: its manifest signed by the trusted key (so a consistent forgery — a changed file
 * with its hash changed in the manifest — is refused), every listed file present with its size and
 * SHA-256, nothing extra, nothing damaged, and, when given, the package hash recorded at archiving.
 * The domain compares the manifest; this reads the zip, hashes and checks the signature.
 */
export function verifyPackage(
  zip: Uint8Array,
  trust: { publicKey: string; recordedSha256?: string },
): PackageCheck {
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
  const signature = checkSignature(
    manifestEntry.data,
    read.entries.find((e) => e.path === SIGNATURE_PATH)?.data,
    trust.publicKey,
  );
  const sha256 = sha256Of(zip);
  const recordedHashMatches = trust.recordedSha256 ? trust.recordedSha256.toLowerCase() === sha256 : null;
  const check = verifyManifest(
    manifest,
    read.entries
      .filter((e) => e.path !== SIGNATURE_PATH)
      .map((e) => ({ path: e.path, bytes: e.data.length, sha256: sha256Of(e.data) })),
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
    signature,
    sha256,
    recordedHashMatches,
    ok: check.ok && unreadable.length === 0 && signature === 'valid' && recordedHashMatches !== false,
  };
}
