import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  joinQrCode,
  QR_MAC_BYTES,
  type QrTarget,
  qrInvalid,
  qrPayloadBytes,
  qrTargetFromBytes,
  splitQrCode,
} from '@gongzhi/domain';

/** What signing and printing a code needs: settings.qrSecret and settings.PUBLIC_URL. */
export interface QrKeys {
  secret: string;
  publicUrl: string;
}

const macOf = (secret: string, payload: Uint8Array) =>
  createHmac('sha256', secret).update(payload).digest().subarray(0, QR_MAC_BYTES);

export function signQrTarget(secret: string, target: QrTarget): string {
  const payload = qrPayloadBytes(target);
  return joinQrCode(payload, macOf(secret, payload));
}

/**
 * The target of a code signed with `secret`, or qr_invalid. The payload is read only after its
 * MAC matches, so nothing an outsider wrote is ever interpreted.
 */
export function verifyQrCode(secret: string, code: string): QrTarget {
  const parts = splitQrCode(code);
  if (!parts) throw qrInvalid();
  const expected = macOf(secret, parts.payload);
  if (expected.length !== parts.mac.length || !timingSafeEqual(expected, parts.mac)) throw qrInvalid();
  const target = qrTargetFromBytes(parts.payload);
  if (!target) throw qrInvalid();
  return target;
}

/** The short URL a QR image encodes. */
export const qrUrl = (publicUrl: string, code: string) => `${publicUrl.replace(/\/+$/, '')}/q/${code}`;
