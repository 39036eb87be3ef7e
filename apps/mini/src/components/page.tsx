import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { useElderMode } from '../hooks/use-elder-mode';
import './page.css';
import './elder.css';

/**
 * Every page: the theme's background, side margins and room for the home indicator (safe area).
 * In 长辈版 its class switches the sizes and colours (elder.css); the system font size scales them.
 */
export function Page({ children, className }: { children: ReactNode; className?: string }) {
  const elder = useElderMode();
  return (
    <View
      className={`gz-page ${elder.on ? 'gz-elder' : ''} ${className ?? ''}`}
      style={`--gz-scale: ${elder.scale}`}
    >
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
