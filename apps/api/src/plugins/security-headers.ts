import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DOCUMENT_POLICY } from '../lib/content-security';

export interface SecurityHeadersOptions {
  /** PUBLIC_URL: HSTS is sent only when residents reach the app over https. */
  publicUrl: string;
}

/**
 * The security headers of every answer (docs/security.md, "Headers"):
 * - helmet's: nosniff, X-Frame-Options DENY, Referrer-Policy no-referrer (some URLs hold tokens),
 *   cross-origin isolation; HSTS (a year) only when PUBLIC_URL is https;
 * - a Content-Security-Policy on every answer that has none of its own: DOCUMENT_POLICY (the H5
 *   client's files carry the app's policy, set by plugins/web-app.ts);
 * - `Cache-Control: no-store` on every answer whose route did not choose its caching: personal
 *   answers, tokens, one-time codes and errors are never kept by a browser or a proxy. The H5
 *   client's files, photos and calendar feeds set their own.
 */
export const securityHeadersPlugin = fp(async (app: FastifyInstance, opts: SecurityHeadersOptions) => {
  const https = new URL(opts.publicUrl).protocol === 'https:';
  await app.register(helmet, {
    contentSecurityPolicy: false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', DOCUMENT_POLICY);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
});
