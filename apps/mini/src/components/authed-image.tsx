import { Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { accessToken, url } from '../services/http';

/** Headers that open a photo besides the login, e.g. a complaint's X-Tracking-Secret. */
type Extra = Record<string, string> | undefined;

/**
 * A photo behind the API's access check. An <img> cannot send the bearer token (or a complaint's
 * tracking secret), so the bytes are fetched with it (downloadFile on weapp, fetch on H5) and shown
 * from a local URL.
 */
export function AuthedImage({
  src,
  headers,
  className,
  onClick,
}: {
  src: string;
  headers?: Record<string, string>;
  className?: string;
  onClick?: () => void;
}) {
  const local = useAuthedFile(src, headers);
  return <Image className={className} src={local ?? ''} mode="aspectFill" onClick={onClick} />;
}

const cache = new Map<string, Promise<string>>();

async function fetchAuthed(path: string, extra: Extra): Promise<string> {
  const token = await accessToken();
  const header: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(url(path), { headers: header });
    if (!res.ok) throw new Error(`photo ${res.status}`);
    return URL.createObjectURL(await res.blob());
  }
  const res = await Taro.downloadFile({ url: url(path), header });
  if (res.statusCode !== 200) throw new Error(`photo ${res.statusCode}`);
  return res.tempFilePath;
}

export function useAuthedFile(path: string, extra?: Extra): string | null {
  const [local, setLocal] = useState<string | null>(null);
  // The headers object is new on every render; what it says is what counts.
  const extraKey = JSON.stringify(extra ?? {});
  useEffect(() => {
    let live = true;
    loadAuthedFile(path, JSON.parse(extraKey))
      .then((l) => live && setLocal(l))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [path, extraKey]);
  return local;
}

/** One download per photo path; a failed one is forgotten, so the next look tries again. */
export const loadAuthedFile = (path: string, extra?: Extra) => {
  let p = cache.get(path);
  if (!p) {
    p = fetchAuthed(path, extra);
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return p;
};
