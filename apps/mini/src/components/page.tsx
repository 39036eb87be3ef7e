import { View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './page.css';

/** Every page: the theme's background, side margins and room for the home indicator (safe area). */
export function Page({ children, className }: { children: ReactNode; className?: string }) {
  return <View className={`gz-page ${className ?? ''}`}>{children}</View>;
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
