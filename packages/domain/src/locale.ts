import { z } from 'zod';

// Everything a person reads is Chinese, including zod's built-in messages ("expected number") for
// schemas without a custom one. Set once here, so the API, the CLI and the client agree.
// package.json's `sideEffects` names this file and index.ts, which imports it: a bundler skips a
// side-effect-free barrel's own imports (esbuild did, and the built server answered in English;
// tests/api/production-path.test.ts holds it).
z.config(z.locales.zhCN());
