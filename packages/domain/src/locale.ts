import { z } from 'zod';

// Everything a person reads is Chinese, including zod's built-in messages ("expected number") for
// schemas without a custom one. Set once here, so the API, the CLI and the client agree.
// package.json's `sideEffects` names this file and index.ts, which imports it: a bundler skips a
// side-effect-free barrel's own imports (esbuild did, and the built server answered in English;
// tests/api/production-path.test.ts holds it).
z.config(z.locales.zhCN());
// One case the locale words badly: a number too large for JSON's range (1e400 parses as Infinity)
// or NaN is a "number", so zhCN says 期望 数字，实际接收 数字. A schema's own message still wins.
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' &&
    issue.expected === 'number' &&
    typeof issue.input === 'number' &&
    !Number.isFinite(issue.input)
      ? '数值超出范围'
      : undefined,
});
