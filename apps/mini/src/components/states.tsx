import { Button, Empty, Loading } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { loginNeeded } from '../services/http';
import { logInAndReturn } from '../services/login-return';
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

/** An error in place of the page; when the page needs a login it offers one that comes back here. */
export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const wantsLogin = loginNeeded();
  return (
    <View className="gz-state">
      <Text className="gz-state__error">{message}</Text>
      {wantsLogin && (
        <Button type="primary" onClick={logInAndReturn}>
          登录
        </Button>
      )}
      {onRetry && !wantsLogin && (
        <Button size="small" type="primary" fill="outline" onClick={onRetry}>
          重试
        </Button>
      )}
    </View>
  );
}
