const pad = (n: number) => String(n).padStart(2, '0');

/** "11月21日 14:05" in China time, whatever the device's zone (weapp has no reliable Intl). */
export function formatTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
