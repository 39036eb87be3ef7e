import { createHash } from 'node:crypto';
import { Invalid } from '@gongzhi/domain';
import sharp, { type OutputInfo } from 'sharp';
import { imageWork } from '../../lib/image-work';
import { type ProcessedPhoto, photoPool } from './photo-workers';
import { type SniffedImageType, sniffImageType } from './sniff-image-type';

export type { ProcessedPhoto };

/**
 * Decoding limit. A 50-megapixel phone photo (8160×6144) passes; a "decompression bomb" (a small
 * file declaring a huge canvas) is refused from its header before any pixel is decoded.
 */
export const MAX_INPUT_PIXELS = 60_000_000;
const ORIGINAL_LONG_SIDE = 2560;
const DISPLAY_LONG_SIDE = 1280;
const THUMB_LONG_SIDE = 320;

/** Whether this machine's libvips can decode HEVC-coded HEIF (the prebuilt sharp reads only AVIF). */
export const HEIC_DECODABLE = (sharp.format.heif?.input.fileSuffix ?? []).includes('.heic');

/** sharp's name for each sniffed type, to check that the decoder agrees with the magic bytes. */
const SHARP_FORMAT: Record<SniffedImageType, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  heic: 'heif',
};

const inside = (side: number) =>
  ({ width: side, height: side, fit: 'inside', withoutEnlargement: true }) as const;

/** What a file's header declares, read without decoding a pixel. */
export interface ImageHeader {
  type: SniffedImageType;
  width: number;
  height: number;
  pixels: number;
  /** Whether it has transparency to flatten onto white (PNG, WebP); a JPEG never has. */
  hasAlpha: boolean;
}

/**
 * The file's type and declared size, from its magic bytes and header only (sharp's metadata
 * decodes no pixels): refuses what is not a photo we take, and any single file above
 * MAX_INPUT_PIXELS, before any decoding is spent on it.
 */
export async function readImageHeader(data: Buffer, path: string): Promise<ImageHeader> {
  const detail = (message: string) => [{ path, message }];
  if (data.length === 0) {
    throw Invalid('empty_file', '文件是空的（0 字节），请重新选择照片', detail('空文件'));
  }
  const type = sniffImageType(data);
  if (type === 'heic' && !HEIC_DECODABLE) {
    throw Invalid(
      'heic_not_supported',
      'HEIC 格式暂不支持，请在手机设置中选择"兼容性最佳"或上传 JPEG',
      detail('HEIC 格式'),
    );
  }
  if (!type) {
    throw Invalid(
      'unsupported_image_type',
      '只能上传 JPEG、PNG 或 WebP 格式的照片',
      detail('不是支持的图片格式'),
    );
  }
  const meta = await sharp(data, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!meta || meta.format !== SHARP_FORMAT[type] || !meta.width || !meta.height) throw corrupt(path);
  const pixels = meta.width * meta.height;
  if (pixels > MAX_INPUT_PIXELS) throw tooManyPixels(path);
  return { type, width: meta.width, height: meta.height, pixels, hasAlpha: meta.hasAlpha === true };
}

const corrupt = (path: string) =>
  Invalid('corrupt_image', '照片文件已损坏或不完整，请重新拍摄或选择', [{ path, message: '图片无法解码' }]);
const tooManyPixels = (path: string) =>
  Invalid(
    'image_too_large_pixels',
    `照片像素过多（最多 ${MAX_INPUT_PIXELS / 1_000_000} 百万像素），请缩小后再上传`,
    [{ path, message: '像素过多' }],
  );

/**
 * Turns an uploaded file into the three stored sizes, or refuses it with a code and the field path.
 * Upright (EXIF orientation applied) and with ALL metadata gone — GPS position, camera, time — as
 * sharp writes none unless asked to. The original is re-encoded too: no byte of the upload is kept.
 * The header is read first when the caller has not (`readImageHeader`). The encoding runs in a
 * photo worker process at a lower CPU priority (photo-workers.ts), so other requests get the cores
 * first; with PHOTO_WORKERS=0 it runs here, waiting its turn for the image work places
 * (lib/image-work.ts).
 */
export async function processPhoto(
  data: Buffer,
  path: string,
  header?: ImageHeader,
): Promise<ProcessedPhoto> {
  const read = header ?? (await readImageHeader(data, path));
  const pool = photoPool();
  if (pool) return pool.encode({ data, path, hasAlpha: read.hasAlpha });
  return imageWork(() => encodeSizes(data, path, read.hasAlpha));
}

/** The three sizes, encoded in this process (photo-worker.ts runs it in the worker). */
export async function encodeSizes(data: Buffer, path: string, hasAlpha: boolean): Promise<ProcessedPhoto> {
  let original: { data: Buffer; info: OutputInfo };
  try {
    // failOn 'error': truncated or broken pixel data is refused; harmless warnings some phones
    // cause (extraneous bytes before a marker) are not.
    const upright = sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(inside(ORIGINAL_LONG_SIDE));
    // Transparent PNG/WebP areas become white, not JPEG's black (a pass over every pixel, so
    // only when there is transparency).
    original = await (hasAlpha ? upright.flatten({ background: '#ffffff' }) : upright)
      .jpeg({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    if (/pixel limit/i.test((err as Error).message)) throw tooManyPixels(path);
    throw corrupt(path);
  }
  // WebP effort 2 of 6: a third of the default's encoding time for ~10 % more bytes
  // (docs/benchmarks.md, photos). One after the other, not together: a job holds one image place,
  // so it keeps one libuv thread busy at a time (two together made IMAGE_JOBS jobs keep up to twice
  // as many threads busy as there are cores, and took every thread of libuv's pool of four, which
  // file reads and writes need too).
  const display = await sharp(original.data)
    .resize(inside(DISPLAY_LONG_SIDE))
    .webp({ quality: 80, effort: 2 })
    .toBuffer();
  const thumb = await sharp(original.data)
    .resize(inside(THUMB_LONG_SIDE))
    .webp({ quality: 75, effort: 2 })
    .toBuffer();
  return {
    sha256: createHash('sha256').update(original.data).digest('hex'),
    width: original.info.width,
    height: original.info.height,
    original: original.data,
    display,
    thumb,
  };
}
