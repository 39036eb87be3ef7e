import Taro from '@tarojs/taro';

/** The id of the agree button on the privacy page: WeChat checks that it was the one tapped. */
export const AGREE_BUTTON_ID = 'gz-privacy-agree';

type Resolve = (option: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void;
/** The privacy-protected call waiting for the person's answer (WeChat holds it meanwhile). */
let waiting: Resolve | null = null;

/**
 * weapp: when a call that needs the privacy authorisation (album, camera, clipboard, location,
 * phone number) is made before the person agreed, WeChat asks us to show our privacy guide; the
 * call goes on once they agree there, and fails if they decline.
 */
export function watchPrivacy() {
  if (process.env.TARO_ENV !== 'weapp' || !Taro.onNeedPrivacyAuthorization) return;
  Taro.onNeedPrivacyAuthorization((resolve) => {
    waiting = resolve as Resolve;
    waiting({ event: 'exposureAuthorization' });
    void Taro.navigateTo({ url: '/pages/privacy/index?ask=1' });
  });
}

export const privacyQuestionOpen = () => waiting !== null;

/** The person's answer on the privacy page. */
export function answerPrivacy(agree: boolean) {
  waiting?.(agree ? { event: 'agree', buttonId: AGREE_BUTTON_ID } : { event: 'disagree' });
  waiting = null;
}
