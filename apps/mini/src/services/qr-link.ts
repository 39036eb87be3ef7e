/**
 * The QR code in a scanned link (`https://host/q/<code>`), or null. WeChat opens the mini-program
 * from an ordinary link QR code with the whole link in the page's `q` parameter, URL-encoded.
 */
export function qrCodeFromLink(link: string): string | null {
  const m = /\/q\/([A-Za-z0-9_.-]+)/.exec(link);
  return m?.[1] ?? null;
}

/** The QR code a page was opened with: `?qr=<code>` (H5 redirect) or `?q=<link>` (WeChat). */
export function qrCodeFromParams(params: Record<string, string | undefined>): string {
  if (params.qr) return decodeURIComponent(params.qr);
  if (params.q) return qrCodeFromLink(decodeURIComponent(params.q)) ?? '';
  return '';
}
