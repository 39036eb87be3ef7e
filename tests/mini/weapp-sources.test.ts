import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// scripts/check-weapp-sources.mjs: a browser-only call on weapp throws on the phone, so the build
// refuses one that is not behind an H5 guard. Each case is a small source tree of its own.

const SCRIPT = path.resolve(__dirname, '../../scripts/check-weapp-sources.mjs');

function check(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gz-weapp-src-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const r = spawnSync(process.execPath, [SCRIPT, '--src', dir], { encoding: 'utf8' });
    return { ok: r.status === 0, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const H5 = "process.env.TARO_ENV === 'h5'";

describe('browser-only calls on weapp', () => {
  test.each([
    ['inside if (H5)', `export function f() { if (${H5}) { window.open('x'); } }`],
    ['the true side of H5 ? a : b', `export const f = () => (${H5} ? fetch('/x') : null);`],
    ['after H5 &&', `export const f = () => ${H5} && document.title;`],
    ['in an && chain with H5', `export function f(u?: string) { if (${H5} && u) URL.revokeObjectURL(u); }`],
    [
      'after an early return when not H5',
      `export function f() { if (process.env.TARO_ENV !== 'h5') return; localStorage.clear(); }`,
    ],
    ['inside an @h5 function', '/** @h5 */\nexport function f() { return new Image(); }'],
    [
      'a property or a local that shares the name',
      'export const f = (o: { window: number }) => { const fetch = 1; return o.window + fetch; };',
    ],
  ])('passes: %s', (_name, source) => {
    const r = check({ 'a.ts': source });
    expect(r).toEqual({ ok: true, out: expect.stringContaining('every browser-only call') });
  });

  test.each([
    ['a bare call', 'export const f = () => fetch("/x");', 'a.ts:1  fetch'],
    [
      'in the else of if (H5)',
      `export function f() { if (${H5}) {} else { document.title = 'x'; } }`,
      'a.ts:1  document',
    ],
    [
      'in an || chain with H5',
      `export function f(x: boolean) { if (x || ${H5}) window.open('x'); }`,
      'a.ts:1  window',
    ],
    ['an object URL', 'export const f = (b: Blob) => URL.createObjectURL(b);', 'a.ts:1  URL.createObjectURL'],
    [
      'an @h5 function called without a guard',
      '/** @h5 */\nfunction g() { return window.innerWidth; }\nexport const f = () => g();',
      'a.ts:3  g()（@h5）',
    ],
  ])('refuses: %s', (_name, source, where) => {
    const r = check({ 'a.ts': source });
    expect(r.ok).toBe(false);
    expect(r.out).toContain(where);
  });

  it('an @h5-module export imported elsewhere may only be called behind a guard', () => {
    const module =
      '/**\n * H5 only.\n * @h5-module\n */\nexport const getBlob = (k: string) => indexedDB.open(k);\n';
    const guardedUse = `import { getBlob } from './store';\nexport async function f() { if (${H5}) await getBlob('a'); }\n`;
    expect(check({ 'store.ts': module, 'use.ts': guardedUse }).ok).toBe(true);
    const bare = "import { getBlob } from './store';\nexport const f = () => getBlob('a');\n";
    const r = check({ 'store.ts': module, 'use.ts': bare });
    expect(r.ok).toBe(false);
    expect(r.out).toContain('use.ts:2  getBlob()（@h5）');
  });

  it('the mini-program itself passes', () => {
    const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });
});

// scripts/build-weapp.mjs: a release build must be able to work in WeChat.
describe('the release build refuses settings that cannot work in WeChat', () => {
  const BUILD = path.resolve(__dirname, '../../scripts/build-weapp.mjs');
  const settings = (env: Record<string, string>, ...args: string[]) => {
    const clean = { ...process.env };
    delete clean.GONGZHI_API_BASE;
    delete clean.GONGZHI_WEAPP_APPID;
    const r = spawnSync(process.execPath, [BUILD, '--check', ...args], {
      encoding: 'utf8',
      env: { ...clean, ...env },
    });
    return { status: r.status, out: r.stdout + r.stderr };
  };
  const APPID = 'wx0123456789abcdef';

  test.each([
    [{}, 'GONGZHI_API_BASE 未设置'],
    [{ GONGZHI_API_BASE: 'http://localhost:3000', GONGZHI_WEAPP_APPID: APPID }, '必须是 https://'],
    [{ GONGZHI_API_BASE: 'https://localhost', GONGZHI_WEAPP_APPID: APPID }, '指向本机或内网（localhost）'],
    [{ GONGZHI_API_BASE: 'https://127.0.0.1:3000', GONGZHI_WEAPP_APPID: APPID }, '指向本机或内网'],
    [{ GONGZHI_API_BASE: 'https://192.168.1.20', GONGZHI_WEAPP_APPID: APPID }, '指向本机或内网'],
    [{ GONGZHI_API_BASE: 'https://gz.example.cn/api', GONGZHI_WEAPP_APPID: APPID }, '不带路径'],
    [
      { GONGZHI_API_BASE: 'https://gz.example.cn', GONGZHI_WEAPP_APPID: 'touristappid' },
      'GONGZHI_WEAPP_APPID',
    ],
  ])('%j is refused', (env, message) => {
    const r = settings(env);
    expect(r.status).toBe(1);
    expect(r.out).toContain('发布版微信小程序构建被拒绝');
    expect(r.out).toContain(message);
  });

  it('an HTTPS public address and a real-looking AppID are taken; --dev allows localhost', () => {
    expect(settings({ GONGZHI_API_BASE: 'https://gz.example.cn', GONGZHI_WEAPP_APPID: APPID })).toEqual({
      status: 0,
      out: `${JSON.stringify({ apiBase: 'https://gz.example.cn', appid: APPID })}\n`,
    });
    const dev = settings({}, '--dev');
    expect(dev.status).toBe(0);
    expect(JSON.parse(dev.out)).toEqual({ apiBase: 'http://localhost:3000', appid: 'touristappid' });
  });
});
