/**
 * Text sizes, colours and tap targets as a resident's phone renders them, for the 长辈版 (elder
 * mode) test. `collectA11y` runs inside the page (passed to `page.evaluate` as a function: the
 * app's CSP forbids eval); the judging (`judge`, WCAG contrast) runs in Node.
 */

/** One visible text: its computed size and colour, and the background layers behind it. */
export interface TextSample {
  text: string;
  where: string;
  fontSize: number;
  color: string;
  /** Opacity of the text element and its ancestors up to the first opaque background. */
  opacity: number;
  /** Background colours and images from the element outwards. */
  layers: { color: string; image: string }[];
  /** A disabled control's text (exempt from the contrast rule, as WCAG 1.4.3 says). */
  disabled: boolean;
}

export interface TargetSample {
  where: string;
  text: string;
  width: number;
  height: number;
  /**
   * The target this one lies inside (its index; -1: none). A small icon inside a row that takes
   * the same tap is not a target of its own: the row is (WCAG 2.5.5's "equivalent" exception).
   */
  parent: number;
}

export interface A11ySamples {
  texts: TextSample[];
  targets: TargetSample[];
}

// The browser's objects, as far as the collector uses them (the tests compile without the DOM lib).
interface Rect {
  width: number;
  height: number;
}
interface Style {
  fontSize: string;
  color: string;
  opacity: string;
  backgroundColor: string;
  backgroundImage: string;
}
interface El {
  tagName: string;
  className: unknown;
  parentElement: El | null;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Rect;
  checkVisibility(opts: object): boolean;
  closest(selector: string): El | null;
  value?: string;
  placeholder?: string;
  type?: string;
}
interface TextNode {
  nodeValue: string | null;
  parentElement: El | null;
}
interface Browser {
  document: {
    body: El;
    createTreeWalker(root: El, what: number): { nextNode(): TextNode | null };
    querySelectorAll(selector: string): Iterable<El>;
  };
  getComputedStyle(el: El, pseudo?: string): Style;
}

/** Runs in the page: every visible text and every tap target (of any page currently shown). */
export function collectA11y(): A11ySamples {
  const w = globalThis as unknown as Browser;
  const doc = w.document;
  const shown = (el: El) => {
    const r = el.getBoundingClientRect();
    return (
      r.width > 1 && r.height > 1 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
    );
  };
  const where = (el: El) => {
    const parts: string[] = [];
    for (let e: El | null = el; e && parts.length < 3 && e !== doc.body; e = e.parentElement) {
      const cls = typeof e.className === 'string' ? e.className.trim().split(/\s+/).slice(0, 2) : [];
      parts.unshift(e.tagName.toLowerCase() + cls.map((c) => `.${c}`).join(''));
    }
    return parts.join(' > ');
  };
  const layersOf = (el: El) => {
    const layers: { color: string; image: string }[] = [];
    let opacity = 1;
    let opaque = false;
    for (let e: El | null = el; e; e = e.parentElement) {
      const s = w.getComputedStyle(e);
      if (!opaque) opacity *= Number.parseFloat(s.opacity);
      layers.push({ color: s.backgroundColor, image: s.backgroundImage });
      if (s.backgroundImage !== 'none' || /^rgb\(/.test(s.backgroundColor)) opaque = true;
    }
    return { layers, opacity };
  };
  const isDisabled = (el: El) =>
    !!el.closest('[disabled], [aria-disabled="true"], .nut-button-disabled, .nut-button--disabled');

  const texts: TextSample[] = [];
  const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.nodeValue ?? '').trim();
    const el = n.parentElement;
    if (!text || !el || !shown(el)) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
    const s = w.getComputedStyle(el);
    texts.push({
      text: text.slice(0, 40),
      where: where(el),
      fontSize: Number.parseFloat(s.fontSize),
      color: s.color,
      ...layersOf(el),
      disabled: isDisabled(el),
    });
  }
  // What a field shows is text too: its value, or its placeholder.
  for (const el of doc.querySelectorAll('input, textarea')) {
    if (el.type === 'file' || el.type === 'hidden' || !shown(el)) continue;
    const text = (el.value || el.placeholder || '').trim();
    if (!text) continue;
    const s = w.getComputedStyle(el);
    texts.push({
      text: text.slice(0, 40),
      where: where(el),
      fontSize: Number.parseFloat(s.fontSize),
      color: el.value ? s.color : w.getComputedStyle(el, '::placeholder').color,
      ...layersOf(el),
      disabled: isDisabled(el),
    });
  }

  // Tap targets: native controls, ARIA roles, Taro's chrome, and every element React gave a tap
  // handler (Taro's View/Text with onClick carry no attribute that says so).
  const reactTappable = (el: El) => {
    const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
    const props = key ? (el as unknown as Record<string, Record<string, unknown>>)[key] : undefined;
    return !!props && (typeof props.onClick === 'function' || typeof props.onTap === 'function');
  };
  const CHROME = ['weui-tabbar__item', 'taro-navigation-bar-back', 'taro-navigation-bar-home'];
  const interactive: El[] = [];
  for (const el of doc.querySelectorAll('body *')) {
    const tag = el.tagName;
    const role = el.getAttribute('role');
    const native =
      tag === 'BUTTON' ||
      tag === 'SELECT' ||
      tag === 'TEXTAREA' ||
      (tag === 'A' && el.getAttribute('href') !== null) ||
      (tag === 'INPUT' && el.type !== 'hidden');
    const classes = typeof el.className === 'string' ? el.className.split(/\s+/) : [];
    const chrome = CHROME.some((c) => classes.includes(c));
    const aria = !!role && ['button', 'link', 'switch', 'tab', 'checkbox', 'radio'].includes(role);
    if ((native || chrome || aria || reactTappable(el)) && shown(el) && !isDisabled(el)) interactive.push(el);
  }
  const targets: TargetSample[] = interactive.map((el) => {
    const r = el.getBoundingClientRect();
    let parent = -1;
    for (let e = el.parentElement; e && parent < 0; e = e.parentElement) parent = interactive.indexOf(e);
    return {
      where: where(el),
      text: (el.textContent ?? el.getAttribute('placeholder') ?? '').trim().slice(0, 30),
      width: Math.round(r.width * 10) / 10,
      height: Math.round(r.height * 10) / 10,
      parent,
    };
  });
  return { texts, targets };
}

/** An `rgb()`/`rgba()` colour as [r, g, b, a]; null for anything else (e.g. `transparent`). */
export function parseColor(css: string): [number, number, number, number] | null {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(css.trim());
  if (!m) return null;
  const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number.parseFloat(m[4]) / 100 : Number(m[4]);
  return [Number(m[1]), Number(m[2]), Number(m[3]), a];
}

type Rgb = [number, number, number];
const over = (top: Rgb, alpha: number, below: Rgb): Rgb =>
  [0, 1, 2].map((i) => top[i]! * alpha + below[i]! * (1 - alpha)) as Rgb;

const luminance = ([r, g, b]: Rgb) => {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};

/** WCAG 2 contrast ratio of two opaque colours (1 to 21). */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colours that can be behind a text: its background layers composited over white, from the
 * outermost in; a gradient counts as each of its colour stops. Null when a picture is behind it.
 */
export function backgroundsBehind(layers: TextSample['layers']): Rgb[] | null {
  let candidates: Rgb[] = [[255, 255, 255]];
  for (const layer of [...layers].reverse()) {
    if (layer.image !== 'none') {
      if (/url\(/.test(layer.image)) return null;
      const stops = [...layer.image.matchAll(/rgba?\([^)]*\)/g)]
        .map((m) => parseColor(m[0]))
        .filter((c) => c !== null);
      if (stops.length) {
        candidates = candidates.flatMap((below) => stops.map((s) => over([s[0], s[1], s[2]], s[3], below)));
        continue;
      }
    }
    const c = parseColor(layer.color);
    if (c && c[3] > 0) candidates = candidates.map((below) => over([c[0], c[1], c[2]], c[3], below));
  }
  return candidates;
}

/** The lowest contrast of a text against whatever may be behind it (null: a picture is behind it). */
export function textContrast(t: TextSample): number | null {
  const fg = parseColor(t.color);
  const bgs = backgroundsBehind(t.layers);
  if (!fg || !bgs) return null;
  return Math.min(...bgs.map((bg) => contrastRatio(over([fg[0], fg[1], fg[2]], fg[3] * t.opacity, bg), bg)));
}

export interface Rule {
  /** Smallest text size (CSS px at phone size). */
  minText: number;
  /** The largest text on the page must reach this (0: no such rule). */
  largestText: number;
  minContrast: number;
  minTarget: number;
}

/** Every breach of `rule` in `samples`, one line each (selector, text, measured value). */
export function judge(samples: A11ySamples, rule: Rule): string[] {
  const out: string[] = [];
  for (const t of samples.texts) {
    if (t.fontSize < rule.minText - 0.05)
      out.push(`text ${t.fontSize}px < ${rule.minText}px: ${t.where} “${t.text}”`);
    const c = textContrast(t);
    if (!t.disabled && c !== null && c < rule.minContrast)
      out.push(`contrast ${c.toFixed(2)} < ${rule.minContrast}: ${t.where} “${t.text}” (${t.color})`);
  }
  const largest = Math.max(0, ...samples.texts.map((t) => t.fontSize));
  if (largest < rule.largestText) out.push(`largest text ${largest}px < ${rule.largestText}px`);
  const big = (x: TargetSample) => x.width >= rule.minTarget - 0.5 && x.height >= rule.minTarget - 0.5;
  for (const x of samples.targets) {
    const outer = samples.targets[x.parent];
    if (!big(x) && !(outer && big(outer)))
      out.push(`target ${x.width}×${x.height} < ${rule.minTarget}×${rule.minTarget}: ${x.where} “${x.text}”`);
  }
  return out;
}
