/**
 * Request URLs as the access log shows them: without the secrets some URLs carry (docs/security.md,
 * "Log hygiene"). A calendar feed's token is its path (`/api/duty/feeds/<token>.ics`), a QR code
 * is the path of its short link (`/q/<code>`), an anonymous upload is read with `?uploadToken=`, an
 * archive package is downloaded with `?token=`, a rota is printed with `?feed=`, WeChat fetches a
 * photo for content security with `?linkToken=`.
 *
 * The rule is by name, not by route, so a new route is covered when it names its secret like these:
 * - a path parameter whose name says secret (token, secret, code, feed, key…) is replaced by the
 *   route's pattern for it — except `key`, a community's key, which is not secret;
 * - every query parameter of such a name keeps its name and loses its value;
 * - a request that matched no route (a 404) keeps only its path's first two segments.
 */
const SECRET_NAME = /token|secret|code|feed|password|otp|signature|sig$/i;
const REDACTED = '[redacted]';

/** What the access log sees of a request: Fastify's request (routed) or a bare one. */
export interface LoggedRequest {
  method?: string;
  url?: string;
  params?: unknown;
  routeOptions?: { url?: string };
}

function redactQuery(query: string): string {
  if (!query) return '';
  const parts = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // A malformed escape: judge the raw name.
    }
    return eq >= 0 && SECRET_NAME.test(decoded) ? `${name}=${REDACTED}` : pair;
  });
  return `?${parts.join('&')}`;
}

/** The path of a routed request with each secret-named parameter replaced. */
function redactPath(path: string, pattern: string | undefined, params: unknown): string {
  if (!pattern) {
    // No route: an unknown path may be a mistyped secret URL. Keep where it was going.
    const segments = path.split('/').slice(0, 3);
    return path.split('/').length > 3 ? `${segments.join('/')}/${REDACTED}` : path;
  }
  const names = pattern.match(/:[A-Za-z0-9_]+/g) ?? [];
  if (!names.some((n) => SECRET_NAME.test(n.slice(1)))) return path;
  // Rebuild the path from its pattern: secret parameters redacted, the others as they came.
  const values = (params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    SECRET_NAME.test(name) ? REDACTED : encodeURIComponent(String(values[name] ?? '')),
  );
}

export function redactUrl(req: LoggedRequest): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  return redactPath(path, req.routeOptions?.url, req.params) + redactQuery(query);
}

/** The logger's `req` serializer: Fastify's own fields, the URL without its secrets. */
export function serializeRequest(
  req: LoggedRequest & {
    host?: string;
    ip?: string;
    headers?: Record<string, string | string[] | undefined>;
    socket?: { remotePort?: number };
  },
) {
  return {
    method: req.method,
    url: redactUrl(req),
    version: req.headers?.['accept-version'] as string | undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}
