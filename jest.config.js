// One jest run for the whole workspace. TypeScript is compiled by @swc/jest (types are checked
// separately by `pnpm typecheck`). Some dependencies ship ESM only (cookie@2 used by
// light-my-request, PGlite), so they are transformed to CommonJS too.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(cookie|@electric-sql)[@+/])'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // Generous: a suite's setup (a fresh database, migrations, sign-ins that hash passwords) on a loaded
  // 2-core CI machine can take over 30 s. A timeout is a hang detector here, never a speed check.
  testTimeout: 120000,
  // `pnpm test:coverage` (part of `pnpm test:all`): the domain's rules measured by their own tests.
  coverageProvider: 'v8',
  collectCoverageFrom: ['packages/domain/src/**/*.ts'],
  coverageReporters: ['text-summary', 'html'],
  coverageThreshold: {
    './packages/domain/src/': { lines: 90 },
    './packages/domain/src/tasks/lifecycle.ts': { lines: 90 },
    './packages/domain/src/followup/letters.ts': { lines: 90 },
  },
};
