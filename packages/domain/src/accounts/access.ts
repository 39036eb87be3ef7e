/**
 * Who may administer accounts (账号与人员): administrators, every account; the leadership group of a
 * community, the staff accounts of that community, but only when its config allows it
 * (`accounts.leadershipManages`, default off).
 */
export type AccountReach = { scope: 'all' } | { scope: 'community'; community: string } | null;

export function accountReach(actor: {
  admin: boolean;
  /** The community the caller's person belongs to, with their leadership flag there. */
  community: string | null;
  leadership: boolean;
  /** The community config's `accounts.leadershipManages`. */
  leadershipManages: boolean;
}): AccountReach {
  if (actor.admin) return { scope: 'all' };
  if (actor.community && actor.leadership && actor.leadershipManages)
    return { scope: 'community', community: actor.community };
  return null;
}

/** Whether a reach covers one account: a community's leadership manages only that community's staff. */
export function reachCovers(
  reach: AccountReach,
  target: { kind: 'staff' | 'resident' | 'admin'; community: string | null },
): boolean {
  if (!reach) return false;
  if (reach.scope === 'all') return true;
  return target.kind === 'staff' && target.community === reach.community;
}
