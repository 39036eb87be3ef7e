// First: before any module builds a zod schema.
import './zod-config';
import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { watchNetwork } from './offline/outbox';
import { applyElderMode } from './services/elder';
import { watchPrivacy } from './services/privacy';
import { refreshUnreadBadge } from './services/work';
import './app.css';

function App({ children }: PropsWithChildren) {
  // Reports written without network are sent from here whenever the network is back.
  useLaunch(() => {
    applyElderMode();
    watchNetwork();
    watchPrivacy();
    // The unread count on the work tab follows new notifications while the app is open.
    void refreshUnreadBadge();
    setInterval(() => void refreshUnreadBadge(), 60_000);
  });
  return children;
}

export default App;
