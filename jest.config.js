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
  testTimeout: 30000,
};
