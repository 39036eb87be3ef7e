import { z } from 'zod';

/**
 * One-time evaluation codes, printed on a slip per household. 12 characters of an alphabet
 * without 0/O/1/I/L (read from paper and typed by older residents), shown in groups of four:
 * 31^12 ≈ 2^59, far beyond guessing through a rate-limited endpoint. Only a hash is stored.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;

/** One spelling per code: capitals, no spaces or dashes, full-width folded. Null if it cannot be one. */
export function normalizeCode(text: string): string | null {
  const s = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-—–]/g, '');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

/** "ABCD-EFGH-JKMN" */
export const formatCode = (code: string) => code.match(/.{1,4}/g)!.join('-');

export const CodeText = z.string().trim().min(1, '请输入评议码').max(40, '评议码过长');

/** Room numbers for a building laid out as floors × rooms per floor: floor 3, room 2 → "302". */
export function roomsByFloor(fromFloor: number, toFloor: number, perFloor: number): string[] {
  const out: string[] = [];
  for (let f = fromFloor; f <= toFloor; f++) {
    for (let r = 1; r <= perFloor; r++) out.push(`${f}${String(r).padStart(2, '0')}`);
  }
  return out;
}
