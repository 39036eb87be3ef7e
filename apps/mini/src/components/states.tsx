import { Button, Empty, Loading } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './states.css';

export function LoadingState({ text = '加载中…' }: { text?: string }) {
  return (
    <View className="gz-state">
      <Loading type="circular">{text}</Loading>
    </View>
  );
}

export function EmptyState({ title, action }: { title: string; action?: ReactNode }) {
  return (
    <View className="gz-state">
      {/* A local glyph: NutUI's default picture is fetched from a CDN, which intranets and offline phones cannot reach. */}
      <Empty image={<Text className="gz-state__icon">📭</Text>} description={title} size="small" />
      {action}
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="gz-state">
      <Text className="gz-state__error">{message}</Text>
      {onRetry && (
        <Button size="small" type="primary" fill="outline" onClick={onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}
