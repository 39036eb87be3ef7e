import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key per-address limits count a client by: an IPv4 address as it is, an IPv6 address by its
 * /64 network. One IPv6 subscriber usually holds a whole /64 (2^64 addresses), so counting single
 * IPv6 addresses would give one client endless fresh allowances.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  // An embedded IPv4 tail (::1.2.3.4) takes two groups; only the first four groups matter here.
  const rightGroups = right.flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const groups = [
    ...left,
    ...Array(Math.max(0, 8 - left.length - rightGroups.length)).fill('0'),
    ...rightGroups,
  ];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
