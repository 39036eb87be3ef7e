import { type GeoPoint, wgs84ToGcj02 } from '@gongzhi/domain';
import Taro from '@tarojs/taro';

const REFUSED = '未能获取位置（可能未允许使用位置信息）。位置为选填，可不添加';

/**
 * Where the phone is, in GCJ-02 (as WeChat's getLocation gives it; a browser's WGS-84 reading is
 * converted), for the optional pin of a patrol report. Rejects with a Chinese message when the
 * person or the phone says no: the report goes without a pin.
 */
export async function currentPosition(): Promise<GeoPoint> {
  if (process.env.TARO_ENV === 'h5') {
    return new Promise<GeoPoint>((resolve, reject) => {
      if (!navigator.geolocation) return reject(new Error(REFUSED));
      navigator.geolocation.getCurrentPosition(
        (p) => resolve(wgs84ToGcj02({ lat: p.coords.latitude, lng: p.coords.longitude })),
        () => reject(new Error(REFUSED)),
        { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
      );
    });
  }
  try {
    const r = await Taro.getLocation({ type: 'gcj02' });
    return { lat: r.latitude, lng: r.longitude };
  } catch {
    throw new Error(REFUSED);
  }
}

/** Opens the pin on a map: WeChat's own map on weapp; Amap's marker page in a browser. */
export function openPoint(p: GeoPoint, name: string) {
  if (process.env.TARO_ENV === 'h5') {
    window.open(
      `https://uri.amap.com/marker?position=${p.lng},${p.lat}&name=${encodeURIComponent(name)}&coordinate=gaode`,
      '_blank',
      'noopener',
    );
    return;
  }
  void Taro.openLocation({ latitude: p.lat, longitude: p.lng, name, scale: 18 });
}
