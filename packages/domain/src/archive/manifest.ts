import { z } from 'zod';

/**
 * The package's manifest: every other file with its size and SHA-256, so any later change to the
 * package is evident. The manifest does not list itself. Hashing is the caller's job (the domain
 * does no I/O); `verifyManifest` only compares.
 */
export const ARCHIVE_FORMAT = 'gongzhi-archive/1';
export const MANIFEST_PATH = 'manifest.json';

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/, '应为 64 位十六进制 SHA-256');

/** A relative path inside the package: no leading slash, no `..`, no backslashes. */
export const PackagePath = z
  .string()
  .min(1)
  .max(300)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..'), '文件路径不安全');

export const ManifestFile = z.strictObject({
  path: PackagePath,
  bytes: z.number().int().nonnegative(),
  sha256: SHA256,
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const ArchiveManifest = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  community: z.object({ key: z.string(), name: z.string() }),
  quarter: z.string(),
  period: z.object({ start: z.iso.datetime(), end: z.iso.datetime(), timezone: z.string() }),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  files: z.array(ManifestFile),
});
export type ArchiveManifest = z.infer<typeof ArchiveManifest>;

export interface ChangedFile {
  path: string;
  expected: { bytes: number; sha256: string };
  actual: { bytes: number; sha256: string };
}

export interface ManifestCheck {
  ok: boolean;
  /** Files listed in the manifest that are present and unchanged. */
  intact: number;
  changed: ChangedFile[];
  missing: string[];
  /** Files in the package that the manifest does not list (or that appear twice). */
  unexpected: string[];
}

/** Compare a package's files (as hashed by the caller) with its manifest. */
export function verifyManifest(
  manifest: Pick<ArchiveManifest, 'files'>,
  actual: readonly ManifestFile[],
): ManifestCheck {
  const expected = new Map(manifest.files.map((f) => [f.path, f]));
  const seen = new Set<string>();
  const changed: ChangedFile[] = [];
  const unexpected: string[] = [];
  let intact = 0;
  for (const f of actual) {
    if (f.path === MANIFEST_PATH) continue;
    const want = expected.get(f.path);
    if (!want || seen.has(f.path)) {
      unexpected.push(f.path);
      continue;
    }
    seen.add(f.path);
    if (want.sha256 === f.sha256 && want.bytes === f.bytes) intact++;
    else
      changed.push({
        path: f.path,
        expected: { bytes: want.bytes, sha256: want.sha256 },
        actual: { bytes: f.bytes, sha256: f.sha256 },
      });
  }
  const missing = manifest.files.map((f) => f.path).filter((p) => !seen.has(p));
  return {
    ok: !changed.length && !missing.length && !unexpected.length,
    intact,
    changed,
    missing,
    unexpected,
  };
}
