import { ComplaintReceipt, IssueDetail } from '@gongzhi/domain';
import Taro from '@tarojs/taro';
import { ApiError, api } from '../services/http';
import { keepComplaint } from '../services/my-complaints';
import { discardKept, UploadError, uploadKept } from '../services/photos';
import { Outbox, type PendingSubmission, type QueueStore, TransportError } from './queue';

/** What a sent submission came back as. */
export type SentResult =
  | { kind: 'complaint'; receipt: ComplaintReceipt }
  | { kind: 'issue'; issue: IssueDetail };

const KEY = 'gz.outbox';

const store: QueueStore = {
  load: async () => {
    const v = Taro.getStorageSync(KEY) as PendingSubmission[] | '';
    return Array.isArray(v) ? v : [];
  },
  save: async (items) => Taro.setStorageSync(KEY, items),
};

/** Offline, a server error, "still running" (409), too many requests or an expired login: try later. */
const retryable = (status: number, offline: boolean) =>
  offline || status === 0 || status >= 500 || status === 409 || status === 429 || status === 401;

function asTransportError(err: unknown): unknown {
  if (err instanceof ApiError)
    return new TransportError(
      err.message,
      retryable(err.status, err.offline),
      err.offline || err.status === 0,
      err.code,
      err.details.flatMap((d) => (d.path ? [{ path: d.path, message: d.message }] : [])),
    );
  if (err instanceof UploadError)
    return new TransportError(err.message, retryable(err.status, false), err.status === 0);
  return err;
}

export const outbox = new Outbox<SentResult>(store, {
  uploadPhoto: (local) => uploadKept(local).catch((e) => Promise.reject(asTransportError(e))),
  discardLocal: discardKept,
  submit: async (item, photos) => {
    const headers = { 'Idempotency-Key': item.idempotencyKey };
    try {
      if (item.kind === 'complaint') {
        const receipt = await api(ComplaintReceipt, '/api/complaints', {
          method: 'POST',
          data: { ...item.body, photos },
          headers,
          // With the resident's own login when it was written with one (the complaint is theirs and
          // its text is checked); otherwise anonymous, and an expired login cannot get in the way.
          auth: item.withLogin === true ? undefined : false,
        });
        // Kept before anything else: the secret is shown only in this answer.
        keepComplaint({
          code: receipt.trackingCode,
          secret: receipt.secret,
          label: item.label,
          createdAt: receipt.complaint.createdAt,
        });
        return { kind: 'complaint', receipt };
      }
      const issue = await api(IssueDetail, '/api/issues', {
        method: 'POST',
        data: { ...item.body, photoIds: photos.map((p) => p.id) },
        headers,
      });
      return { kind: 'issue', issue };
    } catch (err) {
      throw asTransportError(err);
    }
  },
});

let watching = false;

/** Sends the outbox whenever the network comes back, and once now. */
export function watchNetwork() {
  if (watching) return;
  watching = true;
  const flush = () => void outbox.flush();
  Taro.onNetworkStatusChange((s) => {
    if (s.isConnected) flush();
  });
  if (process.env.TARO_ENV === 'h5') window.addEventListener('online', flush);
  // Networks also come back without telling anyone (a captive portal, a flaky lift lobby).
  setInterval(async () => {
    if ((await outbox.list()).some((i) => !i.failed)) flush();
  }, 30_000);
  flush();
}

/**
 * Why a report the person just sent is still waiting on the phone, in words: no network, or the
 * server's own answer (too many reports from here just now, a server fault) — never "no network"
 * for a server that answered.
 */
export function waitingReason(item: PendingSubmission | undefined): string | null {
  if (item?.lastOffline !== false) return null;
  return item.lastError ?? '服务器暂时无法受理';
}
