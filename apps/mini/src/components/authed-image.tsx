import { Image } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { accessToken, url } from '../services/http';

/**
 * A photo behind the API's access check. An <img> cannot send the bearer token, so the bytes are
 * fetched with it (downloadFile on weapp, fetch on H5) and shown from a local URL.
 */
export function AuthedImage({
  src,
  className,
  onClick,
}: {
  src: string;
  className?: string;
  onClick?: () => void;
}) {
  const local = useAuthedFile(src);
  return <Image className={className} src={local ?? ''} mode="aspectFill" onClick={onClick} />;
}

const cache = new Map<string, Promise<string>>();

async function fetchAuthed(path: string): Promise<string> {
  const token = await accessToken();
  const header: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(url(path), { headers: header });
    if (!res.ok) throw new Error(`photo ${res.status}`);
    return URL.createObjectURL(await res.blob());
  }
  const res = await Taro.downloadFile({ url: url(path), header });
  if (res.statusCode !== 200) throw new Error(`photo ${res.statusCode}`);
  return res.tempFilePath;
}

export function useAuthedFile(path: string): string | null {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    let p = cache.get(path);
    if (!p) {
      p = fetchAuthed(path);
      p.catch(() => cache.delete(path));
      cache.set(path, p);
    }
    let live = true;
    p.then((l) => live && setLocal(l)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [path]);
  return local;
}

export const loadAuthedFile = (path: string) => {
  let p = cache.get(path);
  if (!p) {
    p = fetchAuthed(path);
    cache.set(path, p);
  }
  return p;
};
