import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

/**
 * Where photo files (and quarterly archives) live. Keys are server-made (content hashes), never
 * client file names. The interface is the S3 shape (put/get/delete by key): the local directory is
 * the embedded default, an S3-compatible object store is what several instances share.
 */
export interface Storage {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9._/-]*$/;

/** Keys are ours, but a wrong one must never escape the directory or the bucket prefix. */
function checkKey(key: string) {
  if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe storage key: ${key}`);
}

export class LocalStorage implements Storage {
  constructor(private readonly dir: string) {}

  private file(key: string) {
    checkKey(key);
    return path.join(this.dir, key);
  }

  async put(key: string, data: Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a reader never sees half a file, and a crash leaves no torn photo.
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, data);
      await rename(tmp, file);
    } catch (err) {
      // A full disk (ENOSPC) leaves no partial file behind; the error handler answers 503 disk_full.
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

export interface S3StorageOptions {
  /** e.g. https://oss-cn-hangzhou.aliyuncs.com, https://cos.ap-shanghai.myqcloud.com, http://minio:9000; unset = AWS. */
  endpoint?: string | undefined;
  region: string;
  bucket: string;
  /** Unset: the SDK's own chain (AWS_ACCESS_KEY_ID …, instance roles). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  /** http://host/bucket/key instead of http://bucket.host/key (MinIO and most self-hosted stores). */
  forcePathStyle: boolean;
  /** Prepended to every key, so one bucket can hold several deployments. */
  prefix?: string | undefined;
  /** Bounds one request (connect and response), so a stalled store fails instead of hanging. */
  requestTimeoutMs?: number;
}

/**
 * An S3-compatible object store (MinIO, Aliyun OSS, Tencent COS, AWS S3). Objects are put whole
 * (PUT is atomic: a reader sees the old object, the new one, or none), so there is no temporary
 * name as on disk.
 */
export class S3Storage implements Storage {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(opts: S3StorageOptions) {
    const timeout = opts.requestTimeoutMs ?? 15_000;
    this.client = new S3Client({
      endpoint: opts.endpoint,
      region: opts.region,
      forcePathStyle: opts.forcePathStyle,
      credentials:
        opts.accessKeyId && opts.secretAccessKey
          ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
          : undefined,
      // The SDK's newer default checksums (CRC32 on every request and response) are not understood
      // by every S3-compatible store (older OSS/COS/MinIO builds); S3's own ones suffice here.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: timeout, requestTimeout: timeout },
      maxAttempts: 3,
    });
    this.bucket = opts.bucket;
    this.prefix = opts.prefix ? `${opts.prefix.replace(/\/+$/, '')}/` : '';
  }

  private objectKey(key: string) {
    checkKey(key);
    return `${this.prefix}${key}`;
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: data,
        ContentType: contentType,
        ContentLength: data.length,
      }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      if (!out.Body) return null;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that is not there: deleting twice is fine.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }

  /** Throws with a clear message when the bucket cannot be reached or does not exist (checked at start). */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const why = status ? `HTTP ${status}` : err instanceof Error ? err.message : String(err);
      throw new Error(
        `对象存储不可用：存储桶 ${this.bucket}（${why}）。请检查 S3_ENDPOINT、S3_BUCKET 与访问密钥。`,
      );
    }
  }

  close() {
    this.client.destroy();
  }
}

function isMissing(err: unknown) {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.Code === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

export interface StorageSettings {
  S3_BUCKET?: string | undefined;
  S3_ENDPOINT?: string | undefined;
  S3_REGION: string;
  S3_ACCESS_KEY_ID?: string | undefined;
  S3_SECRET_ACCESS_KEY?: string | undefined;
  S3_FORCE_PATH_STYLE: boolean;
  S3_PREFIX?: string | undefined;
}

/**
 * The configured store: an S3-compatible bucket when S3_BUCKET is set (what several instances
 * need: they must all see every photo), else files under `localDir` (one instance only).
 */
export async function createStorage(settings: StorageSettings, localDir: string): Promise<Storage> {
  if (!settings.S3_BUCKET) return new LocalStorage(localDir);
  if (!settings.S3_ACCESS_KEY_ID !== !settings.S3_SECRET_ACCESS_KEY) {
    throw new Error('S3_ACCESS_KEY_ID 与 S3_SECRET_ACCESS_KEY 须同时设置（或都不设，使用 AWS_* 环境变量）');
  }
  const storage = new S3Storage({
    endpoint: settings.S3_ENDPOINT,
    region: settings.S3_REGION,
    bucket: settings.S3_BUCKET,
    accessKeyId: settings.S3_ACCESS_KEY_ID,
    secretAccessKey: settings.S3_SECRET_ACCESS_KEY,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
    prefix: settings.S3_PREFIX,
  });
  await storage.check();
  return storage;
}
