import type { PublicCommunity } from '@gongzhi/domain';
import { Text, View } from '@tarojs/components';
import './category-grid.css';

/** The config names an icon per category; these are the pictures for those names. */
const ICONS: Record<string, string> = {
  elevator: '🛗',
  fire: '🔥',
  extinguisher: '🧯',
  exit: '🚪',
  pump: '⚙️',
  water: '🚰',
  gauge: '💧',
  broom: '🧹',
  tree: '🌳',
  car: '🚗',
  bench: '🪑',
  drop: '💦',
  sound: '🔊',
  hammer: '🔨',
  people: '👥',
  service: '🛎️',
  shield: '🛡️',
  more: '📋',
};

type Category = PublicCommunity['categories'][number];

export function CategoryGrid({
  categories,
  value,
  onChange,
}: {
  categories: Category[];
  value: string | null;
  onChange: (key: string) => void;
}) {
  return (
    <View className="gz-cats">
      {categories.map((c) => (
        <View
          key={c.key}
          className={`gz-cat ${value === c.key ? 'gz-cat--on' : ''}`}
          onClick={() => onChange(c.key)}
          data-category={c.key}
        >
          <Text className="gz-cat__icon">{ICONS[c.icon ?? ''] ?? '📋'}</Text>
          <Text className="gz-cat__name">{c.name}</Text>
        </View>
      ))}
    </View>
  );
}
