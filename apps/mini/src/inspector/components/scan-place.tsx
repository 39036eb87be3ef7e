import type { QrResolution } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Card } from '../../components/page';
import { toast } from '../../components/toast';
import { resolveQr } from '../../services/community';
import { qrCodeFromLink } from '../../services/qr-link';
import './scan-place.css';

/** "下垛院 · 第一责任区域 · 12 号楼 · 1 号电梯": what a scanned code stands for. */
export const placeOf = (p: QrResolution) =>
  [p.zone.name, p.building !== null ? `${p.building} 号楼` : null, p.facility?.name]
    .filter(Boolean)
    .join(' · ');

/** The code in what was scanned or pasted: a whole link (…/q/<code>) or the bare code. */
export function codeFromScan(text: string): string | null {
  const t = text.trim();
  return qrCodeFromLink(t) ?? (/^[A-Za-z0-9_.-]{8,}$/.test(t) ? t : null);
}

/** The open issues of a scanned place on the zone page (building, or the facility's zone and category). */
export const openIssuesUrl = (p: QrResolution) =>
  `/inspector/pages/zone/index?zone=${encodeURIComponent(p.zone.key)}${
    p.building !== null ? `&building=${p.building}` : ''
  }&open=true&place=${encodeURIComponent(placeOf(p))}`;

/**
 * 扫码: an inspector scans a building's or facility's code (the posters residents scan) and then
 * reports a problem there or opens its open issues. WeChat scans with the camera; H5 has no
 * scanner, so the link or code is pasted instead.
 */
export function ScanPlace(props: { onReport: (code: string, place: QrResolution) => void }) {
  const [typed, setTyped] = useState('');
  const [found, setFound] = useState<{ code: string; place: QrResolution } | null>(null);
  const [busy, setBusy] = useState(false);

  const open = async (text: string) => {
    const code = codeFromScan(text);
    if (!code) return toast('这不是小区张贴的楼栋或设施二维码', 'warn');
    setBusy(true);
    try {
      setFound({ code, place: await resolveQr(code) });
    } catch (e) {
      setFound(null);
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };
  const scan = async () => {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      await open(r.result);
    } catch {
      // The person closed the scanner.
    }
  };

  return (
    <Card title="扫码（楼栋或设施二维码）">
      {process.env.TARO_ENV === 'weapp' ? (
        <Button block type="primary" fill="outline" loading={busy} onClick={scan}>
          扫码
        </Button>
      ) : (
        <View className="gz-scan__paste">
          <Input
            className="gz-input"
            placeholder="粘贴二维码链接或编码"
            value={typed}
            onChange={setTyped}
            maxLength={300}
          />
          <Button type="primary" fill="outline" loading={busy} onClick={() => open(typed)}>
            识别
          </Button>
        </View>
      )}
      {found && (
        <View className="gz-scan__found">
          <Text className="gz-scan__place">{placeOf(found.place)}</Text>
          <View className="gz-scan__actions">
            <Button type="primary" onClick={() => props.onReport(found.code, found.place)}>
              上报问题
            </Button>
            <Button
              fill="outline"
              type="primary"
              onClick={() => Taro.navigateTo({ url: openIssuesUrl(found.place) })}
            >
              查看未办结
            </Button>
          </View>
        </View>
      )}
    </Card>
  );
}
