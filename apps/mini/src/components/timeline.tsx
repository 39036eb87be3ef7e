import { Text, View } from '@tarojs/components';
import { formatTime } from '../services/format';
import './timeline.css';

export interface TimelineEntry {
  key: string | number;
  title: string;
  who: string;
  note: string | null;
  at: string;
}

/** Every step of an issue, newest first: who did what, when, and what they said. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const newestFirst = [...entries].reverse();
  return (
    <View className="gz-timeline">
      {newestFirst.map((e, i) => (
        <View key={e.key} className={`gz-timeline__item ${i === 0 ? 'gz-timeline__item--now' : ''}`}>
          <View className="gz-timeline__dot" />
          <View className="gz-timeline__body">
            <View className="gz-row">
              <Text className="gz-timeline__title">{e.title}</Text>
              <Text className="gz-muted">{formatTime(e.at)}</Text>
            </View>
            <Text className="gz-muted">{e.who}</Text>
            {e.note && <Text className="gz-timeline__note">{e.note}</Text>}
          </View>
        </View>
      ))}
    </View>
  );
}
