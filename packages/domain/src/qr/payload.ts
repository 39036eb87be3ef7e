/**
 * What a QR code points at, and its signed text: `1|<community>|b|<building>`,
 * `1|<community>|f|<facility>` or `1|<community>|z|<zone>`. The leading `1` is the format version:
 * a later format (or a rotated secret) gets a new number while printed posters keep working.
 *
 * One target has exactly one payload (no leading zeros, no spaces, lower-case keys), so one
 * target has one code, and a code cannot be re-spelled into another that also verifies.
 */

export const QR_PAYLOAD_VERSION = '1';

export const QR_TARGET_KINDS = ['building', 'facility', 'zone'] as const;
export type QrTargetKind = (typeof QR_TARGET_KINDS)[number];

export type QrTarget =
  | { community: string; kind: 'building'; building: number }
  | { community: string; kind: 'facility'; facility: string }
  | { community: string; kind: 'zone'; zone: string };

const LETTER: Record<QrTargetKind, string> = { building: 'b', facility: 'f', zone: 'z' };

const KEY = '[a-z0-9][a-z0-9_-]*';
const PAYLOAD = new RegExp(
  `^${QR_PAYLOAD_VERSION}\\|(${KEY})\\|(?:b\\|([1-9][0-9]{0,5})|f\\|(${KEY})|z\\|(${KEY}))$`,
);

export function formatQrPayload(target: QrTarget): string {
  const id =
    target.kind === 'building'
      ? String(target.building)
      : target.kind === 'facility'
        ? target.facility
        : target.zone;
  const text = `${QR_PAYLOAD_VERSION}|${target.community}|${LETTER[target.kind]}|${id}`;
  // Keys come from a validated config; a target that would not parse back is a programming error.
  if (!PAYLOAD.test(text)) throw new Error(`not a valid QR target: ${JSON.stringify(target)}`);
  return text;
}

export function parseQrPayload(text: string): QrTarget | null {
  const m = PAYLOAD.exec(text);
  if (!m) return null;
  const [, community, building, facility, zone] = m;
  if (building !== undefined) return { community: community!, kind: 'building', building: Number(building) };
  if (facility !== undefined) return { community: community!, kind: 'facility', facility };
  return { community: community!, kind: 'zone', zone: zone! };
}

/** The payload as the bytes that are signed. ASCII only, so one byte per character. */
export function qrPayloadBytes(target: QrTarget): Uint8Array {
  return Uint8Array.from(formatQrPayload(target), (ch) => ch.charCodeAt(0));
}

/** Signed bytes back to a target; null unless they are a well-formed payload. */
export function qrTargetFromBytes(bytes: Uint8Array): QrTarget | null {
  if (bytes.some((b) => b > 0x7e || b < 0x20)) return null;
  return parseQrPayload(String.fromCharCode(...bytes));
}
