/**
 * Decoding a photo costs server time by its pixels, not its bytes: a 65 KB PNG can declare 60
 * megapixels. Anonymous uploads are bounded by the pixels their headers declare, checked before
 * any is decoded (docs/security.md, "Abuse").
 */
export const ANONYMOUS_UPLOAD_PIXELS = {
  /** All photos of one anonymous request together: nine 12-megapixel phone photos fit. */
  perRequest: 120_000_000,
  /** One address's anonymous uploads per hour (about ten full requests). */
  perAddressPerHour: 1_200_000_000,
} as const;

/** "120 百万像素": a pixel count for a message. */
export const megapixels = (pixels: number) => `${Math.round(pixels / 1_000_000)} 百万像素`;
