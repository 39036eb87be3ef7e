import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { S3Storage, type StorageSettings } from '../../apps/api/src/lib/storage';

/** s3rver's fixed credentials: it checks request signatures against them. */
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

/**
 * An S3-compatible object store for the tests: s3rver as a real HTTP server on 127.0.0.1 (a free
 * port), its objects in a temporary directory, one bucket made. The product talks to it through
 * the AWS SDK exactly as it would to MinIO, OSS or COS (path-style addressing, signed requests).
 */
export async function startS3Server(opts: { bucket?: string } = {}) {
  const bucket = opts.bucket ?? 'gongzhi-test';
  const directory = mkdtempSync(path.join(tmpdir(), 'gz-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  /** The environment keys that point the API at this store (as an operator would set them). */
  const settings: StorageSettings = {
    S3_BUCKET: bucket,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: ACCESS_KEY,
    S3_SECRET_ACCESS_KEY: SECRET_KEY,
    S3_FORCE_PATH_STYLE: true,
    S3_PREFIX: undefined,
  };
  const storages: S3Storage[] = [];
  return {
    endpoint,
    bucket,
    directory,
    settings,
    /** A client of this store, as the API makes one (closed with the server). */
    storage: (extra: { prefix?: string; bucket?: string } = {}) => {
      const s = new S3Storage({
        endpoint,
        region: 'us-east-1',
        bucket: extra.bucket ?? bucket,
        accessKeyId: ACCESS_KEY,
        secretAccessKey: SECRET_KEY,
        forcePathStyle: true,
        prefix: extra.prefix,
      });
      storages.push(s);
      return s;
    },
    close: async () => {
      for (const s of storages) s.close();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
export type S3Server = Awaited<ReturnType<typeof startS3Server>>;
