import type { PhotoView } from '@gongzhi/domain';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AuthedImage, loadAuthedFile } from './authed-image';
import './photo-strip.css';

/**
 * An issue's photos as thumbnails, three to a row; a tap opens them full-screen. `headers` opens
 * photos that the login alone does not (a complaint's X-Tracking-Secret).
 */
export function PhotoStrip({ photos, headers }: { photos: PhotoView[]; headers?: Record<string, string> }) {
  if (photos.length === 0) return null;
  const preview = async (index: number) => {
    const urls = await Promise.all(photos.map((p) => loadAuthedFile(p.displayUrl, headers)));
    await Taro.previewImage({ urls, current: urls[index] });
  };
  return (
    <View className="gz-photos">
      {photos.map((p, i) => (
        <AuthedImage
          key={p.id}
          src={p.thumbUrl}
          headers={headers}
          className="gz-photos__item"
          onClick={() => void preview(i)}
        />
      ))}
    </View>
  );
}
