import { formatPoint, wgs84ToGcj02 } from '@gongzhi/domain';

/** Metres between two nearby points (equirectangular; fine at these distances). */
const metres = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => {
  const r = 6371000;
  const x = ((b.lng - a.lng) * Math.PI * Math.cos(((a.lat + b.lat) * Math.PI) / 360)) / 180;
  const y = ((b.lat - a.lat) * Math.PI) / 180;
  return Math.hypot(x, y) * r;
};

describe('wgs84ToGcj02: a browser reading in the datum WeChat and Chinese maps use', () => {
  it.each([
    ['Shanghai', { lat: 31.2304, lng: 121.4737 }],
    ['Beijing', { lat: 39.9087, lng: 116.3975 }],
    ['Chengdu', { lat: 30.5728, lng: 104.0668 }],
  ])('moves a point in %s by a few hundred metres', (_, p) => {
    const g = wgs84ToGcj02(p);
    const d = metres(p, g);
    expect(d).toBeGreaterThan(100);
    expect(d).toBeLessThan(1000);
  });

  it('leaves points outside China as they are', () => {
    expect(wgs84ToGcj02({ lat: 51.5007, lng: -0.1246 })).toEqual({ lat: 51.5007, lng: -0.1246 });
    expect(wgs84ToGcj02({ lat: -33.8568, lng: 151.2153 })).toEqual({ lat: -33.8568, lng: 151.2153 });
  });

  it('the known Beijing reading lands where published converters put it (within a metre)', () => {
    // Tian'anmen: WGS-84 39.908823, 116.397470 → GCJ-02 39.910227, 116.403712 (a widely used pair).
    const g = wgs84ToGcj02({ lat: 39.908823, lng: 116.39747 });
    expect(metres(g, { lat: 39.910227, lng: 116.403712 })).toBeLessThan(5);
  });

  it('formats five decimals', () => {
    expect(formatPoint({ lat: 31.2304, lng: 121.4737 })).toBe('31.23040, 121.47370');
  });
});
