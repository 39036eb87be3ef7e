import { useLaunch } from '@tarojs/taro';
import type { PropsWithChildren } from 'react';
import { watchNetwork } from './offline/outbox';
import './app.css';

function App({ children }: PropsWithChildren) {
  // Reports written without network are sent from here whenever the network is back.
  useLaunch(() => watchNetwork());
  return children;
}

export default App;
