import { MAX_PHOTOS } from '@gongzhi/domain';
import { Progress, Uploader } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { compressAndKeep, discardKept, onUploadProgress, previewOf } from '../services/photos';

interface ChosenFile {
  tempFilePath?: string;
  path?: string;
}

/**
 * Photos from camera or album. Each one is compressed on the device (canvas on H5,
 * Taro.compressImage on weapp) and kept in persistent storage at once: the report can then be
 * sent now or, without network, later. `value` holds the kept photos' handles.
 */
export function PhotoField({
  value,
  onChange,
  max = MAX_PHOTOS,
}: {
  value: string[];
  onChange: (locals: string[]) => void;
  max?: number;
}) {
  // The uploader identifies a photo by the URL it shows; we need the kept handle behind it.
  const localOfUrl = useRef(new Map<string, string>());
  const latest = useRef(value);
  latest.current = value;

  return (
    <Uploader
      maxCount={max}
      multiple
      autoUpload
      sizeType={['compressed']}
      sourceType={['album', 'camera']}
      mediaType={['image']}
      uploadLabel="拍照或选图"
      upload={async (file) => {
        const chosen = file as unknown as ChosenFile;
        const local = await compressAndKeep(chosen.tempFilePath ?? chosen.path ?? '');
        const url = previewOf(local);
        localOfUrl.current.set(url, local);
        onChange([...latest.current, local]);
        return { url };
      }}
      onDelete={(file) => {
        const local = file.url ? localOfUrl.current.get(file.url) : undefined;
        if (!local) return;
        onChange(latest.current.filter((l) => l !== local));
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
