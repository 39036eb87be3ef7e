import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { appPolicy, inlineScriptHashes } from '../lib/content-security';

export interface WebAppOptions {
  /** The built H5 app (apps/mini/dist/h5). Nothing is served when it is unset or not built. */
  root?: string;
}

/** Hashed file names (js/app.1a2b3c4d.js) never change content: browsers may keep them for a year. */
const HASHED = /\.[0-9a-f]{8}\.(js|css)$/;
/** The copies scripts/precompress-h5.mjs writes beside the hashed files, sent in their place. */
const COMPRESSED_COPY = /\.(br|gz)$/;

/** The app's CSP for one HTML file, with its inline scripts' hashes; re-read when the file changes. */
const policies = new Map<string, { mtimeMs: number; policy: string }>();
function policyOf(file: string): string {
  const { mtimeMs } = statSync(file);
  const known = policies.get(file);
  if (known?.mtimeMs === mtimeMs) return known.policy;
  const policy = appPolicy(inlineScriptHashes(readFileSync(file, 'utf8')));
  policies.set(file, { mtimeMs, policy });
  return policy;
}

/**
 * The H5 build of apps/mini, served from the API's own origin so the client calls `/api/…` without
 * CORS and a QR code's `/q/<code>` redirect lands on `/#/pages/complain/index`. The app uses hash
 * routing, so the only HTML document is `/` (index.html); API routes are registered first and are
 * more specific than the static wildcard, so they keep answering as before.
 */
export const webAppPlugin = fp(async (app: FastifyInstance, opts: WebAppOptions) => {
  const root = opts.root && path.resolve(opts.root);
  if (!root || !existsSync(path.join(root, 'index.html'))) {
    if (root) app.log.warn({ root }, 'H5 app not built: run `pnpm --filter @gongzhi/mini build:h5`');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    // The API's 404 (JSON) answers for files that are not there.
    wildcard: true,
    serveDotFiles: false,
    // Our own cache-control below, per kind of file.
    cacheControl: false,
    // A browser that accepts br or gzip gets the copy compressed at build time (same type, with
    // Content-Encoding); others, the file itself.
    preCompressed: true,
    setHeaders: (res, sentPath) => {
      // The file a compressed copy stands for decides the headers.
      const filePath = sentPath.replace(COMPRESSED_COPY, '');
      // Both answers of a file that has compressed copies say that they depend on Accept-Encoding,
      // so no cache hands the brotli one to a client that did not ask for it.
      if (HASHED.test(filePath)) res.setHeader('vary', 'Accept-Encoding');
      // The client's own policy (lib/content-security.ts); other answers get the document policy.
      res.setHeader(
        'content-security-policy',
        filePath.endsWith('.html') ? policyOf(filePath) : appPolicy([]),
      );
      res.setHeader(
        'cache-control',
        HASHED.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
});
