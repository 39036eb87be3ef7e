import { randomInt } from 'node:crypto';

// No 0/o, 1/l/i: the password is read off a screen and typed on a phone.
const LETTERS = 'abcdefghjkmnpqrstuvwxyz';
const DIGITS = '23456789';
const ALPHABET = LETTERS + DIGITS;

/**
 * A one-time password: three groups of four from 31 characters joined by hyphens (about 59 bits),
 * e.g. `k7mq-3xfa-p9tc`. Each group has a letter and a digit so it always meets the password rule.
 */
export function newOneTimePassword(): string {
  const group = () => {
    const chars = [LETTERS[randomInt(LETTERS.length)]!, DIGITS[randomInt(DIGITS.length)]!];
    while (chars.length < 4) chars.push(ALPHABET[randomInt(ALPHABET.length)]!);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    return chars.join('');
  };
  return [group(), group(), group()].join('-');
}
