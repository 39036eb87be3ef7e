import { MAX_PHOTOS } from '@gongzhi/domain';
import { Progress, Uploader } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { compressAndKeep, discardKept, onUploadProgress, previewOf } from '../services/photos';
import { toast } from './toast';

interface ChosenFile {
  tempFilePath?: string;
  path?: string;
}

/**
 * The photos of a form: the kept handles, and the photos still being compressed and kept (the
 * thumbnail says 上传中…). `settled()` waits for those and gives every photo the person chose, so a
 * form sent while one is still on its way sends it too instead of silently leaving it out.
 */
export function usePhotos() {
  const [photos, setPhotos] = useState<string[]>([]);
  const latest = useRef<string[]>([]);
  const inFlight = useRef(new Set<Promise<unknown>>());
  const [pending, setPending] = useState(0);
  const set = (next: string[]) => {
    latest.current = next;
    setPhotos(next);
  };
  const track = (p: Promise<unknown>) => {
    inFlight.current.add(p);
    setPending(inFlight.current.size);
    const done = () => {
      inFlight.current.delete(p);
      setPending(inFlight.current.size);
    };
    p.then(done, done);
  };
  const settled = async () => {
    while (inFlight.current.size > 0) await Promise.allSettled([...inFlight.current]);
    return latest.current;
  };
  return { photos, set, pending, track, settled, latest };
}
export type Photos = ReturnType<typeof usePhotos>;

const unreadable = (n: number) =>
  `${n > 1 ? `有 ${n} 张照片` : '这张照片'}无法读取，请换用 JPG 或 PNG 格式的照片`;

/**
 * Photos from camera or album. Each one is compressed on the device (canvas on H5,
 * Taro.compressImage on weapp) and kept in persistent storage at once: the report can then be
 * sent now or, without network, later. A file that is not a readable image is refused with a
 * message (the uploader marks it failed).
 */
export function PhotoField({ field, max = MAX_PHOTOS }: { field: Photos; max?: number }) {
  // The uploader identifies a photo by the URL it shows; we need the kept handle behind it.
  const localOfUrl = useRef(new Map<string, string>());
  // H5: Taro's chooser drops a file the browser cannot read as an image (a renamed document, HEIC)
  // without a word; counting what the person chose tells us how many it dropped.
  const chosen = useRef(0);
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return;
    const onChange = (e: Event) => {
      const input = e.target as HTMLInputElement | null;
      if (input?.type === 'file') chosen.current = input.files?.length ?? 0;
    };
    document.addEventListener('change', onChange, true);
    return () => document.removeEventListener('change', onChange, true);
  }, []);

  return (
    <Uploader
      maxCount={max}
      multiple
      autoUpload
      sizeType={['compressed']}
      sourceType={['album', 'camera']}
      mediaType={['image']}
      uploadLabel="拍照或选图"
      onOverCount={() => {
        chosen.current = 0;
        toast(`最多可上传 ${max} 张照片`, 'warn');
      }}
      beforeUpload={async (files) => {
        const dropped = chosen.current - files.length;
        chosen.current = 0;
        if (dropped > 0) toast(unreadable(dropped), 'fail');
        return files;
      }}
      upload={(file) => {
        const chosen = file as unknown as ChosenFile;
        const kept = (async () => {
          let local: string;
          try {
            local = await compressAndKeep(chosen.tempFilePath ?? chosen.path ?? '');
          } catch {
            toast(unreadable(1), 'fail');
            throw new Error('unreadable photo');
          }
          const url = previewOf(local);
          localOfUrl.current.set(url, local);
          field.set([...field.latest.current, local]);
          return { url };
        })();
        field.track(kept);
        return kept;
      }}
      onDelete={(file) => {
        const local = file.url ? localOfUrl.current.get(file.url) : undefined;
        if (!local) return;
        field.set(field.latest.current.filter((l) => l !== local));
        void discardKept(local);
      }}
    />
  );
}

/** One bar per photo while a report's photos are uploaded. */
export function UploadProgress({ locals }: { locals: string[] }) {
  const [percent, setPercent] = useState<Record<string, number>>({});
  useEffect(() => {
    const offs = locals.map((l) => onUploadProgress(l, (p) => setPercent((s) => ({ ...s, [l]: p }))));
    return () => {
      for (const off of offs) off();
    };
  }, [locals]);
  if (locals.length === 0) return null;
  return (
    <View className="gz-upload-progress">
      {locals.map((l, i) => (
        <View key={l} className="gz-row" style={{ marginBottom: '6px' }}>
          <Text className="gz-muted" style={{ width: '64px' }}>
            照片 {i + 1}
          </Text>
          <View style={{ flex: 1 }}>
            <Progress percent={percent[l] ?? 0} showText />
          </View>
        </View>
      ))}
    </View>
  );
}
