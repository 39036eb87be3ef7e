/** The issue a duplicate's latest merge event names as the survivor (`data.into`), or null. */
export function mergedIntoOf(events: readonly { action: string; data: unknown }[]) {
  const merge = [...events].reverse().find((e) => e.action === 'merge');
  const data = merge?.data as { into?: string; intoCode?: string } | null | undefined;
  return data?.into && data.intoCode ? { id: data.into, code: data.intoCode } : null;
}
