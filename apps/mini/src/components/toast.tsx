import { Toast } from '@nutui/nutui-react-taro';

const ID = 'gz-toast';

/** Put once on a page; `toast()` then shows a message there. */
export const PageToast = () => <Toast id={ID} />;

export const toast = (
  content: string,
  icon: 'success' | 'fail' | 'warn' | 'loading' | undefined = undefined,
) => Toast.show(ID, { content, icon, duration: 2.5 });
