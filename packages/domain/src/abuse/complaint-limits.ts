import type { Urgency } from '../community/schema';

/**
 * How many complaints are taken, and from whom (docs/security.md, "Abuse"). The rule: a limit
 * that other people's complaints count toward never refuses an emergency, and emergencies have
 * budgets of their own that no flood of ordinary complaints uses up. So a few addresses flooding
 * one building's QR code shut only themselves out, and a neighbour's emergency always gets in.
 */
export const COMPLAINT_LIMITS = {
  /** Ordinary and urgent complaints per address per minute (the route's limit). */
  perAddressPerMinute: 10,
  /** Emergencies per address per minute: a budget of its own. */
  emergenciesPerAddressPerMinute: 5,
  /** Ordinary and urgent complaints per QR code per address per hour. */
  perQrPerAddressPerHour: 5,
  /**
   * Ordinary and urgent complaints per QR code per hour, from everyone: a flood needs
   * perQrPerHour / perQrPerAddressPerHour = 12 addresses to reach it, and it never refuses an
   * emergency.
   */
  perQrPerHour: 60,
  /** Ordinary and urgent complaints per signed-in resident per hour. */
  perAccountPerHour: 10,
  /** Emergencies per address per hour (a flood of false emergencies stays one address's problem). */
  emergenciesPerAddressPerHour: 10,
} as const;

/** A count within its window, and when that window ends. */
export interface WindowCount {
  count: number;
  resetInMs: number;
}

/**
 * What the hour's counts are, including the complaint being decided. `perQr` and `perAccount` count
 * accepted ordinary/urgent complaints; the address counts count attempts.
 */
export interface ComplaintCounts {
  perQr: WindowCount;
  perQrAddress: WindowCount;
  perAccount: WindowCount | null;
  emergenciesPerAddress: WindowCount;
}

export type ComplaintLimitBreach = {
  limit: 'per_qr' | 'per_qr_address' | 'per_account' | 'emergencies_per_address';
  message: string;
  retryAfterMs: number;
};

/** Which limit, if any, refuses this complaint. Counts include it (a count above the limit refuses). */
export function complaintLimitBreach(urgency: Urgency, c: ComplaintCounts): ComplaintLimitBreach | null {
  const L = COMPLAINT_LIMITS;
  if (urgency === 'emergency') {
    if (c.emergenciesPerAddress.count > L.emergenciesPerAddressPerHour) {
      return {
        limit: 'emergencies_per_address',
        message: '您所在的网络在一小时内提交的紧急投诉过多，请直接拨打物业或值班电话',
        retryAfterMs: c.emergenciesPerAddress.resetInMs,
      };
    }
    return null;
  }
  if (c.perAccount && c.perAccount.count > L.perAccountPerHour) {
    return {
      limit: 'per_account',
      message: '您在一小时内提交的投诉过多，请稍后再试',
      retryAfterMs: c.perAccount.resetInMs,
    };
  }
  if (c.perQrAddress.count > L.perQrPerAddressPerHour) {
    return {
      limit: 'per_qr_address',
      message: '您在一小时内对这个二维码提交的投诉过多，请稍后再试；紧急情况请选择"应急"',
      retryAfterMs: c.perQrAddress.resetInMs,
    };
  }
  if (c.perQr.count > L.perQrPerHour) {
    return {
      limit: 'per_qr',
      message: '这个二维码在一小时内收到的投诉过多，请稍后再试；紧急情况请选择"应急"，或直接联系值班人员',
      retryAfterMs: c.perQr.resetInMs,
    };
  }
  return null;
}
