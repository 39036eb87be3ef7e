import { Cell } from '@nutui/nutui-react-taro';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';

/** A menu entry that opens a page: the work desk's and the evaluation's lists are made of these. */
export function NavCell({
  title,
  description,
  url,
}: {
  title: ReactNode;
  description?: ReactNode;
  url: string;
}) {
  return <Cell title={title} description={description} clickable onClick={() => Taro.navigateTo({ url })} />;
}
