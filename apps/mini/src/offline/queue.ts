/**
 * The outbox: every report and complaint is written here first, then sent. Without network it
 * stays on the device (its photos already copied to persistent storage) and is sent when the
 * network returns. Each item keeps the idempotency key it was given when it was written and the
 * photos it has already uploaded, so a retry after a lost response neither duplicates the report
 * nor uploads a photo twice.
 *
 * Pure: storage, network and files are passed in, so the same logic runs on weapp, on H5 and in
 * jest (tests/mini/offline-queue.test.ts).
 */

export type SubmissionKind = 'complaint' | 'issue';

export interface PendingPhoto {
  /** Where the compressed photo is kept on the device until it is uploaded. */
  local: string;
  /** Set once the upload succeeded: the API's photo id (and an anonymous upload's token). */
  uploaded?: { id: string; uploadToken?: string };
}

export interface PendingSubmission {
  id: string;
  kind: SubmissionKind;
  /** Sent as Idempotency-Key on every attempt: the API creates the resource at most once. */
  idempotencyKey: string;
  /** The request body without photos; the transport adds the uploaded photos' ids. */
  body: Record<string, unknown>;
  photos: PendingPhoto[];
  /** A line a person recognises the report by ("12 号楼 · 环境卫生"). */
  label: string;
  createdAt: string;
  attempts: number;
  lastError?: string;
  /** The API's error code and the fields it named (content_refused at body.description…), when it refused. */
  lastErrorCode?: string;
  lastErrorFields?: { path: string; message: string }[];
  /**
   * Sent with the phone's login (a resident signed in with WeChat): the complaint belongs to their
   * account, and what they wrote goes through WeChat's content check. Otherwise sent anonymously.
   */
  withLogin?: boolean;
  /** The last attempt was kept for lack of network (not because the server was busy or refused). */
  lastOffline?: boolean;
  /** Refused by the API (not a network problem): kept for the person to read, never retried. */
  failed?: boolean;
}

export interface QueueStore {
  load(): Promise<PendingSubmission[]>;
  save(items: PendingSubmission[]): Promise<void>;
}

/** A failed call as the queue sees it: `retry` (offline, 5xx, 409 in progress, 429) or not. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    /** No network reached the server; false for a server that answered "busy" (429, 5xx, 409). */
    readonly offline = retry,
    /** The API's error code and the fields it named, when it answered one. */
    readonly code?: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export interface QueueTransport<R> {
  uploadPhoto(local: string): Promise<{ id: string; uploadToken?: string }>;
  submit(item: PendingSubmission, photos: { id: string; uploadToken?: string }[]): Promise<R>;
  /** Frees a kept photo once its submission is done (sent, or removed by the person). */
  discardLocal(local: string): Promise<void>;
}

export interface FlushResult<R> {
  sent: { item: PendingSubmission; result: R }[];
  kept: PendingSubmission[];
  failed: PendingSubmission[];
}

/** Serialises queue changes: a flush and an enqueue never overwrite each other's writes. */
export class Outbox<R> {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: QueueStore,
    private readonly transport: QueueTransport<R>,
  ) {}

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Writes the submission to the device before anything is sent. */
  add(item: Omit<PendingSubmission, 'attempts' | 'createdAt'> & { createdAt?: string }) {
    return this.exclusive(async () => {
      const items = await this.store.load();
      if (items.some((i) => i.id === item.id)) return;
      items.push({ ...item, createdAt: item.createdAt ?? new Date().toISOString(), attempts: 0 });
      await this.store.save(items);
    });
  }

  list() {
    return this.exclusive(() => this.store.load());
  }

  /**
   * The person gives up on an item (typically one the API refused). `keepPhotos` when the form
   * that wrote it still shows them, to correct and send again.
   */
  remove(id: string, opts: { keepPhotos?: boolean } = {}) {
    return this.exclusive(async () => {
      const items = await this.store.load();
      const gone = items.find((i) => i.id === id);
      await this.store.save(items.filter((i) => i.id !== id));
      if (opts.keepPhotos) return;
      for (const p of gone?.photos ?? []) await this.transport.discardLocal(p.local).catch(() => undefined);
    });
  }

  /**
   * Sends what is pending, oldest first. Progress (each uploaded photo, each sent item) is saved as
   * it happens, so an app killed halfway resumes where it stopped. The first network failure stops
   * the flush: the rest would fail the same way.
   */
  flush(only?: (item: PendingSubmission) => boolean): Promise<FlushResult<R>> {
    return this.exclusive(async () => {
      const result: FlushResult<R> = { sent: [], kept: [], failed: [] };
      let items = await this.store.load();
      let offline = false;
      for (const original of [...items]) {
        if (original.failed || offline || (only && !only(original))) {
          (original.failed ? result.failed : result.kept).push(original);
          continue;
        }
        let item: PendingSubmission = { ...original, attempts: original.attempts + 1 };
        const update = async (next: PendingSubmission) => {
          item = next;
          items = items.map((i) => (i.id === next.id ? next : i));
          await this.store.save(items);
        };
        try {
          for (let n = 0; n < item.photos.length; n++) {
            if (item.photos[n]!.uploaded) continue;
            const uploaded = await this.transport.uploadPhoto(item.photos[n]!.local);
            await update({
              ...item,
              photos: item.photos.map((p, i) => (i === n ? { ...p, uploaded } : p)),
            });
          }
          const response = await this.transport.submit(
            item,
            item.photos.map((p) => p.uploaded!),
          );
          items = items.filter((i) => i.id !== item.id);
          await this.store.save(items);
          for (const p of item.photos) await this.transport.discardLocal(p.local).catch(() => undefined);
          result.sent.push({ item, result: response });
        } catch (err) {
          const retry = !(err instanceof TransportError) || err.retry;
          const message = err instanceof Error ? err.message : String(err);
          const lastOffline = !(err instanceof TransportError) || err.offline;
          const refusal =
            err instanceof TransportError && !retry
              ? { lastErrorCode: err.code, lastErrorFields: err.fields }
              : { lastErrorCode: undefined, lastErrorFields: undefined };
          await update({ ...item, lastError: message, lastOffline, ...refusal, failed: !retry });
          (retry ? result.kept : result.failed).push(item);
          if (retry) offline = true;
        }
      }
      return result;
    });
  }
}
