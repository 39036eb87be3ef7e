import { Text, View } from '@tarojs/components';
import Taro, { useReady } from '@tarojs/taro';
import { type ReactNode, useState } from 'react';
import { useElderMode } from '../hooks/use-elder-mode';
import { elderUnits } from '../services/elder';
import './page.css';
import './elder.css';

/** The page's own title (its navigationBarTitleText), once the page is ready. */
const pageTitle = () => Taro.getCurrentInstance().page?.config?.navigationBarTitleText ?? '';

/**
 * Every page: the theme's background, side margins and room for the home indicator (safe area).
 * In 长辈版 its class switches the sizes and colours (elder.css), the system font size scales them,
 * and the page's title stands at its top in large type (the title bar's cannot grow on weapp);
 * `heading={false}` for a page that has a large title of its own.
 */
export function Page({
  children,
  className,
  heading = true,
}: {
  children: ReactNode;
  className?: string;
  heading?: boolean;
}) {
  const elder = useElderMode();
  // A page that swaps its whole tree (loading, then content) mounts this again after it is ready.
  const [title, setTitle] = useState(pageTitle);
  useReady(() => setTitle(pageTitle()));
  return (
    <View
      className={`gz-page ${elder.on ? 'gz-elder' : ''} ${className ?? ''}`}
      style={elderUnits(elder.scale)}
    >
      {elder.on && heading && title && <Text className="gz-elder-heading">{title}</Text>}
      {children}
    </View>
  );
}

export function Card({ title, extra, children }: { title?: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <View className="gz-card">
      {(title || extra) && (
        <View className="gz-card__head">
          <View className="gz-card__title">{title}</View>
          {extra}
        </View>
      )}
      {children}
    </View>
  );
}
