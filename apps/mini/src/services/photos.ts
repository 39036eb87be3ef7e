import { PhotoUploadResult } from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import { deleteBlob, getBlob, putBlob } from '../offline/h5-files';
import { accessToken, errorFrom, url } from './http';

/** Long side of a photo as uploaded: sharp enough to read a crack or a label, ~200–400 KB. */
const MAX_SIDE = 1600;
const JPEG_QUALITY = 0.8;
const H5_PREFIX = 'idb:';

export async function choosePhotos(count: number): Promise<string[]> {
  const res = await Taro.chooseImage({
    count,
    sizeType: ['compressed'],
    sourceType: ['album', 'camera'],
  });
  return res.tempFilePaths;
}

/** H5: draw the photo on a canvas no larger than MAX_SIDE and re-encode it as JPEG. @h5 */
async function compressOnCanvas(src: string): Promise<Blob> {
  const img = await new Promise<HTMLImageElement>((resolve, reject) => {
    const i = new Image();
    i.onload = () => resolve(i);
    i.onerror = () => reject(new Error('无法读取这张照片'));
    i.src = src;
  });
  const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
  const g = canvas.getContext('2d');
  if (!g) throw new Error('浏览器不支持图片压缩');
  g.fillStyle = '#fff'; // transparent PNG areas become white, not black
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('照片压缩失败'))), 'image/jpeg', JPEG_QUALITY),
  );
}

/** What the page shows for a kept photo. On H5 that is an object URL made when it was kept. */
const previews = new Map<string, string>();
export const previewOf = (local: string) => previews.get(local) ?? local;

/**
 * Compresses a chosen photo on the device and keeps the result in persistent storage, so it
 * survives a closed app until the report carrying it has been sent. Returns the kept photo's handle.
 */
export async function compressAndKeep(src: string): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const blob = await compressOnCanvas(src);
    const key = `${H5_PREFIX}${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await putBlob(key, blob);
    previews.set(key, URL.createObjectURL(blob));
    return key;
  }
  const { tempFilePath } = await Taro.compressImage({ src, quality: 70, compressedWidth: MAX_SIDE });
  const saved = (await Taro.saveFile({ tempFilePath })) as Taro.saveFile.SuccessCallbackResult;
  return saved.savedFilePath;
}

export async function discardKept(local: string) {
  if (process.env.TARO_ENV === 'h5') {
    const preview = previews.get(local);
    if (preview) URL.revokeObjectURL(preview);
    previews.delete(local);
    await deleteBlob(local);
    return;
  }
  await Taro.removeSavedFile({ filePath: local });
}

type Progress = (percent: number) => void;
const listeners = new Map<string, Set<Progress>>();

/** Follow the upload of one kept photo (the form shows a progress bar per photo). */
export function onUploadProgress(local: string, fn: Progress) {
  const set = listeners.get(local) ?? new Set();
  set.add(fn);
  listeners.set(local, set);
  return () => set.delete(fn);
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Uploads one kept photo (multipart field `files`); anonymous uploads come back with a token. */
export async function uploadKept(local: string): Promise<{ id: string; uploadToken?: string }> {
  let filePath = local;
  let objectUrl: string | undefined;
  if (process.env.TARO_ENV === 'h5') {
    const blob = await getBlob(local);
    if (!blob) throw new UploadError('照片已不在本机，请重新选择', 410);
    objectUrl = URL.createObjectURL(blob);
    filePath = objectUrl;
  }
  const token = await accessToken();
  try {
    const res = await new Promise<Taro.uploadFile.SuccessCallbackResult>((resolve, reject) => {
      const task = Taro.uploadFile({
        url: url('/api/photos'),
        filePath,
        name: 'files',
        fileName: 'photo.jpg',
        header: token ? { authorization: `Bearer ${token}` } : {},
        success: resolve,
        fail: () => reject(new UploadError('网络不可用，照片未能上传', 0)),
      });
      // The task is also a promise that rejects on failure; `fail` above already reports it.
      (task as unknown as Promise<unknown>).catch?.(() => undefined);
      task.onProgressUpdate?.((p) => {
        for (const fn of listeners.get(local) ?? []) fn(p.progress);
      });
    });
    if (res.statusCode !== 201) {
      const e = errorFrom(res.statusCode, res.data);
      throw new UploadError(e.message, res.statusCode);
    }
    const photo = PhotoUploadResult.parse(JSON.parse(res.data)).photos[0];
    if (!photo) throw new UploadError('上传结果为空', 500);
    for (const fn of listeners.get(local) ?? []) fn(100);
    return { id: photo.id, uploadToken: photo.uploadToken };
  } finally {
    if (process.env.TARO_ENV === 'h5' && objectUrl) URL.revokeObjectURL(objectUrl);
  }
}

/**
 * Upload kept photos one after the other, skipping those already uploaded (`done`, local → id, kept
 * by the page across a retry); `progress` sees the map grow. Returns the ids in the photos' order.
 */
export async function uploadEachKept(
  locals: readonly string[],
  uploaded: Readonly<Record<string, string>>,
  progress: (done: Record<string, string>) => void,
): Promise<string[]> {
  const done = { ...uploaded };
  const ids: string[] = [];
  for (const local of locals) {
    done[local] ??= (await uploadKept(local)).id;
    progress({ ...done });
    ids.push(done[local]!);
  }
  return ids;
}
