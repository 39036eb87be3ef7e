import { z } from 'zod';

// Everything a person reads is Chinese, including zod's built-in messages ("expected number") for
// schemas without a custom one. Set once here, so the API, the CLI and the client agree.
// package.json's `sideEffects` names this file and index.ts, which imports it: a bundler skips a
// side-effect-free barrel's own imports (esbuild did, and the built server answered in English;
// tests/api/production-path.test.ts holds it).
// Where the locale words it badly, a number that is not one: NaN (a query's `limit=abc` coerced) or
// Infinity (JSON's `1e400`) is a "number" to zod, so zhCN said 期望 数字，实际接收 数字/NaN. A
// schema's own message still wins.
const notANumber = (input: unknown) =>
  typeof input !== 'number' || Number.isFinite(input)
    ? undefined
    : Number.isNaN(input)
      ? '请填写数字'
      : '数值超出范围';
z.config({
  ...z.locales.zhCN(),
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.expected === 'number' ? notANumber(issue.input) : undefined,
});
