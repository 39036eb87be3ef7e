#!/usr/bin/env node
// Compiles the API into plain JavaScript that `node` runs directly (no tsx at run time):
// apps/api/dist/server.js (the server), apps/api/dist/cli.js (`gongzhi` commands) and
// apps/api/dist/photo-worker.js (the photo encoding child process).
// Our own TypeScript (apps/api/src and the workspace package @gongzhi/domain) is bundled; every
// other package stays an ordinary require() of node_modules, so native and WebAssembly packages
// (sharp, PGlite, pdfkit's fonts) load their files from where they are installed. Paths to
// drizzle/, config/ and the H5 build are found at run time from the repository root
// (src/lib/paths.ts), so they resolve the same from src/ and dist/.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
// GONGZHI_BUILD_DIR: another folder under apps/api (tests that build in parallel each use their own).
const outdir = path.join(here, process.env.GONGZHI_BUILD_DIR ?? 'dist');
rmSync(outdir, { recursive: true, force: true });

/** Bare imports are external, except our workspace packages, which are bundled from source. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@gongzhi/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const started = Date.now();
await build({
  entryPoints: {
    server: path.join(here, 'src/server.ts'),
    cli: path.join(here, 'src/cli/main.ts'),
    // The child process photos are encoded in (src/services/photos/photo-workers.ts forks it).
    'photo-worker': path.join(here, 'src/services/photos/photo-worker.ts'),
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalPackages],
});
console.log(
  `API 已编译：${path.relative(process.cwd(), outdir)}/server.js、cli.js、photo-worker.js（${Date.now() - started} ms）`,
);
