import { createHash } from 'node:crypto';

/**
 * Content-Security-Policy of every answer (docs/security.md, "Headers"). Three policies:
 *
 * - API_POLICY — every answer that is not a document (JSON, files, errors): nothing at all
 *   (OWASP REST Security Cheat Sheet). A browser that opened one as a page could run nothing.
 * - DOCUMENT_POLICY — the pages the API renders itself (printable notices, rota, evaluation slips,
 *   the QR refusal page): nothing may load but the page's own inline styles, and no script runs
 *   but the print button's, named by its hash. A notice's text that slipped past escaping could
 *   still not run anything.
 * - appPolicy(hashes) — the H5 client: its scripts from our origin plus the inline scripts of its
 *   index.html by hash (Taro's rem sizing), never 'unsafe-inline' for scripts. Styles may be inline
 *   (Taro and NutUI set style attributes); images and uploads use data: and blob: URLs.
 */

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The print button of a printable page: an inline script allowed by its hash (no inline handler). */
const PRINT_SCRIPT =
  "document.querySelectorAll('[data-print]').forEach(function(b){b.addEventListener('click',function(){window.print()})})";

/** A 打印 button for a printable page; works under DOCUMENT_POLICY. */
export const PRINT_BUTTON = `<div class="actions"><button type="button" data-print>打印</button></div>
<script>${PRINT_SCRIPT}</script>`;

const join = (directives: Record<string, string[]>) =>
  Object.entries(directives)
    .map(([k, v]) => [k, ...v].join(' '))
    .join('; ');

export const API_POLICY = join({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] });

export const DOCUMENT_POLICY = join({
  'default-src': ["'none'"],
  'script-src': [sha256(PRINT_SCRIPT)],
  'style-src': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
});

/** The hashes of a page's inline scripts (those without src), as CSP sources. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = [...html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) =>
    sha256(m[1] ?? ''),
  );
  return [...new Set(hashes)];
}

export function appPolicy(scriptHashes: string[]): string {
  return join({
    'default-src': ["'self'"],
    'script-src': ["'self'", ...scriptHashes],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  });
}
