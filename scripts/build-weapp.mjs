#!/usr/bin/env node
// `pnpm build:weapp`: the WeChat build for release. It is refused unless it can work in WeChat:
//   GONGZHI_API_BASE   the API's public HTTPS origin (WeChat requests only HTTPS domains that the
//                      mini-program's admin has listed; a localhost or LAN address never works)
//   GONGZHI_WEAPP_APPID the mini-program's AppID (wx + 16 hex digits), written into the build's
//                      project.config.json
// `pnpm build:weapp:dev` (--dev) builds for WeChat developer tools instead: the API may be
// http://localhost:3000 and the AppID the tourist one; the build says so.
// `--check` validates the settings and stops (the tests use it). Before building, the sources are
// checked for browser-only calls outside an H5 guard; after it, the package sizes.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const checkOnly = process.argv.includes('--check');
const DEV_API = 'http://localhost:3000';
const TOURIST_APPID = 'touristappid';

const fail = (message) => {
  console.error(message);
  process.exit(1);
};

/** Hosts a phone in WeChat cannot reach, or that WeChat refuses as a request domain. */
const PRIVATE_HOST =
  /^(localhost|.*\.localhost|.*\.local|127(\.\d+){3}|0\.0\.0\.0|10(\.\d+){3}|192\.168(\.\d+){2}|172\.(1[6-9]|2\d|3[01])(\.\d+){2}|\[?::1\]?)$/i;

function releaseSettings(env) {
  const problems = [];
  const base = env.GONGZHI_API_BASE ?? '';
  let api = null;
  try {
    api = new URL(base);
  } catch {
    problems.push(
      `GONGZHI_API_BASE 未设置或不是网址（"${base}"）：请设为 API 的公网 HTTPS 地址，如 https://gongzhi.example.cn`,
    );
  }
  if (api) {
    if (api.protocol !== 'https:')
      problems.push(`GONGZHI_API_BASE 必须是 https:// 地址（微信只允许 HTTPS 请求域名）：${base}`);
    if (PRIVATE_HOST.test(api.hostname)) {
      problems.push(`GONGZHI_API_BASE 指向本机或内网（${api.hostname}），手机上的微信无法访问：${base}`);
    }
    if (api.pathname !== '/' || api.search || api.hash) {
      problems.push(`GONGZHI_API_BASE 只写协议和域名（可带端口），不带路径：${base}`);
    }
  }
  const appid = env.GONGZHI_WEAPP_APPID ?? '';
  if (!/^wx[0-9a-f]{16}$/.test(appid)) {
    problems.push(
      `GONGZHI_WEAPP_APPID 未设置或格式不对（"${appid}"）：小程序 AppID 形如 wx 加 16 位十六进制数字`,
    );
  }
  if (problems.length) {
    fail(
      `发布版微信小程序构建被拒绝：\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        `（仅在微信开发者工具中调试时，可用 pnpm build:weapp:dev，API 默认为 ${DEV_API}）`,
    );
  }
  return { apiBase: api.origin, appid };
}

const settings = dev
  ? {
      apiBase: process.env.GONGZHI_API_BASE ?? DEV_API,
      appid: process.env.GONGZHI_WEAPP_APPID ?? TOURIST_APPID,
    }
  : releaseSettings(process.env);
if (checkOnly) {
  console.log(JSON.stringify(settings));
  process.exit(0);
}
if (dev)
  console.warn(`注意：开发版构建，API 为 ${settings.apiBase}，AppID 为 ${settings.appid}；不可上传发布。`);

const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/check-weapp-sources.mjs']);
run('pnpm', ['--filter', '@gongzhi/mini', 'exec', 'taro', 'build', '--type', 'weapp'], {
  ...process.env,
  GONGZHI_API_BASE: settings.apiBase,
});
const projectFile = path.join(ROOT, 'apps/mini/dist/weapp/project.config.json');
const project = JSON.parse(readFileSync(projectFile, 'utf8'));
writeFileSync(projectFile, `${JSON.stringify({ ...project, appid: settings.appid }, null, 2)}\n`);
run(process.execPath, ['scripts/check-weapp-size.mjs']);
console.log(`✓ 微信小程序：apps/mini/dist/weapp（API ${settings.apiBase}，AppID ${settings.appid}）`);
