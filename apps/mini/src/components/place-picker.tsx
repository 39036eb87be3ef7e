import type { PublicCommunity } from '@gongzhi/domain';
import { Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import './place-picker.css';

/** A building number (typed) or a zone (tapped), or neither: "不确定". */
export interface PlaceChoice {
  building: string;
  zone: string | null;
}

/** The place as the API takes it: a number only if one was typed. */
export const placeBody = (p: PlaceChoice) => ({
  ...(p.building.trim() ? { building: Number(p.building.trim()) } : {}),
  ...(p.zone ? { zone: p.zone } : {}),
});

/**
 * Where a problem is, without a QR code: a building number, or one of the zones (for places without
 * numbers), or "不确定" — the triage desk then places it. The zones show their building ranges.
 */
export function PlacePicker({
  community,
  value,
  onChange,
  unsure = true,
}: {
  community: PublicCommunity;
  value: PlaceChoice;
  onChange: (p: PlaceChoice) => void;
  /** Offer "不确定" (residents); staff placing by hand must choose. */
  unsure?: boolean;
}) {
  const chips = [
    ...community.zones.map((z) => ({
      key: z.key as string | null,
      label: z.name,
      sub: z.buildings.length ? `${z.buildings.join('、')} 号楼` : '无楼号',
    })),
    ...(unsure ? [{ key: null, label: '不确定', sub: '由社区工作人员确定' }] : []),
  ];
  return (
    <View className="gz-place">
      <Input
        className="gz-input"
        type="number"
        placeholder="楼号（知道的话请填写），如：12"
        value={value.building}
        onChange={(building) => onChange({ ...value, building })}
        maxLength={4}
      />
      <Text className="gz-muted">或选择区域：</Text>
      <View className="gz-place__zones">
        {chips.map((c) => (
          <View
            key={c.key ?? 'unsure'}
            className={`gz-place__zone ${value.zone === c.key && (c.key !== null || !value.building) ? 'gz-place__zone--on' : ''}`}
            onClick={() => onChange({ ...value, zone: c.key })}
          >
            <Text className="gz-place__name">{c.label}</Text>
            <Text className="gz-place__sub">{c.sub}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
