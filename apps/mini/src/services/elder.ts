import Taro from '@tarojs/taro';

/**
 * 长辈版 (elder-friendly mode, MIIT 适老化): larger text and targets, stronger contrast. The
 * person's choice is kept on the phone; until they choose, a large system font size turns it on.
 */
const KEY = 'gz_elder_mode';
const CHANGED = 'gz:elder-mode';

/** The system font size setting as a factor of the standard size (1 = standard), 1 to 1.6. */
function readSystemFontScale(): number {
  let scale = 1;
  try {
    if (process.env.TARO_ENV === 'h5') {
      // Taro fixes the root font size to the screen width; the browser's own text size setting is
      // what `medium` resolves to (16 px at the standard setting).
      const probe = document.createElement('div');
      probe.style.fontSize = 'medium';
      document.body.appendChild(probe);
      scale = Number.parseFloat(getComputedStyle(probe).fontSize) / 16;
      probe.remove();
    } else {
      // WeChat: 我 › 设置 › 通用 › 字体大小 (following the system's on Android).
      const info = (Taro.getAppBaseInfo?.() ?? Taro.getSystemInfoSync()) as {
        fontSizeScaleFactor?: number;
        fontSizeSetting?: number;
        platform?: string;
      };
      const standard = Taro.getSystemInfoSync().platform === 'ios' ? 17 : 16;
      scale = info.fontSizeScaleFactor ?? (info.fontSizeSetting ? info.fontSizeSetting / standard : 1);
    }
  } catch {
    scale = 1;
  }
  return Number.isFinite(scale) ? Math.min(Math.max(scale, 1), 1.6) : 1;
}

let fontScale: number | null = null;
/** Read once per launch: WeChat restarts a mini-program after its font size changes. */
export const systemFontScale = () => {
  fontScale ??= readSystemFontScale();
  return fontScale;
};

/** A system font this much larger than standard turns 长辈版 on until the person chooses. */
const LARGE_SYSTEM_FONT = 1.15;

export function elderMode(): boolean {
  const chosen = Taro.getStorageSync(KEY) as boolean | '';
  return chosen === '' ? systemFontScale() >= LARGE_SYSTEM_FONT : chosen;
}

export function setElderMode(on: boolean) {
  Taro.setStorageSync(KEY, on);
  applyToDocument(on);
  Taro.eventCenter.trigger(CHANGED, on);
}

/**
 * H5: the title bar and tab bar Taro draws live outside the pages; they follow the mode through a
 * class on the document (WeChat draws its own, sized by WeChat).
 */
function applyToDocument(on: boolean) {
  if (process.env.TARO_ENV === 'h5') {
    document.documentElement.classList.toggle('gz-elder-doc', on);
    document.documentElement.style.cssText += `;${elderUnits(systemFontScale())}`;
  }
}

/**
 * The units elder.css measures in, set inline where Taro does not convert them: one CSS px for
 * targets and one CSS px times the system font size setting for text.
 */
export const elderUnits = (scale: number) => `--gz-unit: 1px; --gz-px: ${scale}px`;

/** At launch: the document follows the mode kept on this phone. */
export const applyElderMode = () => applyToDocument(elderMode());

export function onElderModeChange(listener: (on: boolean) => void): () => void {
  Taro.eventCenter.on(CHANGED, listener);
  return () => Taro.eventCenter.off(CHANGED, listener);
}
