import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ComplaintReceipt, IssueDetail } from '@gongzhi/domain';
import sharp from 'sharp';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import {
  Outbox,
  type PendingSubmission,
  type QueueStore,
  type QueueTransport,
  TransportError,
} from '../../apps/mini/src/offline/queue';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';

// The outbox of apps/mini against the real API over real HTTP. Only the device is stood in for:
// its storage (a JSON string, as Taro storage keeps it), its files (a temp folder) and its radio
// (a switch that makes every call fail the way a phone without network does).

let t: TestApp;
let base: string;
let auth: Record<string, string>;
const files = mkdtempSync(path.join(tmpdir(), 'gz-outbox-'));

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  auth = (await t.loginAs('yang-chenyi')).auth;
});
afterAll(async () => {
  await t.close();
  rmSync(files, { recursive: true, force: true });
});

/** Device storage: everything goes through JSON, so nothing survives that a reload would lose. */
function deviceStore(): QueueStore & { raw: () => string } {
  let raw = '[]';
  return {
    load: async () => JSON.parse(raw) as PendingSubmission[],
    save: async (items) => {
      raw = JSON.stringify(items);
    },
    raw: () => raw,
  };
}

/** The client's transport over fetch, with a network switch and counters. */
function device(opts: { loseFirstResponse?: boolean } = {}) {
  const state = {
    online: true,
    uploads: 0,
    submits: 0,
    discarded: [] as string[],
    lose: !!opts.loseFirstResponse,
  };
  const call = async (url: string, init: RequestInit) => {
    if (!state.online) throw new TransportError('网络不可用', true);
    const res = await fetch(`${base}${url}`, init);
    // biome-ignore lint/suspicious/noExplicitAny: the raw answer, parsed below with the domain schemas
    const body = (await res.json()) as any;
    if (!res.ok)
      // As the app's outbox does: the API's code and the fields it named go with the error.
      throw new TransportError(
        body.error.message,
        res.status >= 500 || res.status === 409,
        res.status >= 500 || res.status === 409,
        body.error.code,
        (body.error.details ?? []).filter((d: { path?: string }) => d.path),
      );
    return body;
  };
  const transport: QueueTransport<{ id?: string; trackingCode?: string }> = {
    uploadPhoto: async (local) => {
      const form = new FormData();
      form.append('files', new Blob([readFileSync(local)], { type: 'image/jpeg' }), 'photo.jpg');
      const body = await call('/api/photos', {
        method: 'POST',
        body: form,
        headers: local.includes('anon') ? {} : auth,
      });
      state.uploads++;
      return { id: body.photos[0].id, uploadToken: body.photos[0].uploadToken };
    },
    submit: async (item, photos) => {
      const headers = {
        'content-type': 'application/json',
        'idempotency-key': item.idempotencyKey,
        ...(item.kind === 'issue' ? auth : {}),
      };
      const payload =
        item.kind === 'issue'
          ? { ...item.body, photoIds: photos.map((p) => p.id) }
          : { ...item.body, photos };
      const body = await call(item.kind === 'issue' ? '/api/issues' : '/api/complaints', {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
      });
      state.submits++;
      if (state.lose) {
        // The API committed, but the answer never reached the phone (the lift doors closed).
        state.lose = false;
        throw new TransportError('网络不可用', true);
      }
      return item.kind === 'issue'
        ? { id: IssueDetail.parse(body).id }
        : { trackingCode: ComplaintReceipt.parse(body).trackingCode };
    },
    discardLocal: async (local) => {
      state.discarded.push(local);
      rmSync(local, { force: true });
    },
  };
  return { state, transport };
}

async function keptPhoto(name: string) {
  const file = path.join(files, `${name}-${randomUUID()}.jpg`);
  writeFileSync(
    file,
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#468' } })
      .jpeg()
      .toBuffer(),
  );
  return file;
}

const issueBody = (description: string) => ({
  community: 'xiaduoyuan',
  building: 7,
  category: 'sanitation',
  description,
});

async function issuesWith(description: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/issues?community=xiaduoyuan&q=${encodeURIComponent(description)}`,
    headers: auth,
  });
  return (res.json().items as { id: string; description: string }[]).filter(
    (i) => i.description === description,
  );
}

function item(kind: 'issue' | 'complaint', body: Record<string, unknown>, photos: string[]) {
  const id = randomUUID();
  return { id, kind, idempotencyKey: id, body, label: 'test', photos: photos.map((local) => ({ local })) };
}

describe('the outbox of the mini-program', () => {
  it('keeps a report made without network, with its photo, and sends it once the network is back', async () => {
    const store = deviceStore();
    const { state, transport } = device();
    const outbox = new Outbox(store, transport);
    const photo = await keptPhoto('patrol');
    state.online = false;
    await outbox.add(item('issue', issueBody('离线巡查：7号楼楼道堆物'), [photo]));

    const offline = await outbox.flush();
    expect(offline.sent).toHaveLength(0);
    expect(offline.kept).toHaveLength(1);
    expect(offline.kept[0]!.attempts).toBe(1);
    expect(await issuesWith('离线巡查：7号楼楼道堆物')).toHaveLength(0);
    // Still on the device after a "restart": a new outbox over the same storage.
    const again = new Outbox(store, transport);
    expect(await again.list()).toHaveLength(1);

    state.online = true;
    const online = await again.flush();
    expect(online.sent).toHaveLength(1);
    expect(await again.list()).toHaveLength(0);
    const created = await issuesWith('离线巡查：7号楼楼道堆物');
    expect(created).toHaveLength(1);
    expect(online.sent[0]!.result.id).toBe(created[0]!.id);
    const detail = await t.app.inject({ method: 'GET', url: `/api/issues/${created[0]!.id}`, headers: auth });
    expect(detail.json().photos).toHaveLength(1);
    expect(state.discarded).toEqual([photo]);
  });

  it('sends nothing twice when the answer was lost: the same idempotency key replays', async () => {
    const { state, transport } = device({ loseFirstResponse: true });
    const outbox = new Outbox(deviceStore(), transport);
    const photo = await keptPhoto('lost');
    await outbox.add(item('issue', issueBody('应答丢失：7号楼门禁损坏'), [photo]));

    const first = await outbox.flush();
    expect(first.kept).toHaveLength(1);
    // The photo's upload was recorded before the submit, so the retry does not upload it again.
    expect(first.kept[0]!.photos[0]!.uploaded?.id).toBeDefined();
    const second = await outbox.flush();
    expect(second.sent).toHaveLength(1);
    expect(state.submits).toBe(2);
    expect(state.uploads).toBe(1);
    const created = await issuesWith('应答丢失：7号楼门禁损坏');
    expect(created).toHaveLength(1);
    expect(second.sent[0]!.result.id).toBe(created[0]!.id);
  });

  it('sends an anonymous complaint with its upload token and returns the tracking code', async () => {
    const { transport } = device();
    const outbox = new Outbox(deviceStore(), transport);
    const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 30 });
    const photo = await keptPhoto('anon');
    await outbox.add(
      item('complaint', { qr, category: 'greening', description: '30号楼前草坪被车辆碾压' }, [photo]),
    );
    const r = await outbox.flush();
    expect(r.sent).toHaveLength(1);
    expect(r.sent[0]!.result.trackingCode).toMatch(/^[A-Z2-9]{8}$/);
  });

  it('marks a refused report as failed and never retries it; removing it frees its photo', async () => {
    const { state, transport } = device();
    const outbox = new Outbox(deviceStore(), transport);
    const photo = await keptPhoto('refused');
    const refused = item('issue', { ...issueBody('楼号不存在'), building: 9999 }, [photo]);
    await outbox.add(refused);
    const r = await outbox.flush();
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.failed).toBe(true);
    expect(r.failed[0]!.lastError).toBeTruthy();
    // The refusal keeps what the form needs to show it at its field.
    expect(r.failed[0]!.lastErrorCode).toBeTruthy();
    expect(r.failed[0]!.lastErrorFields).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.building' })]),
    );
    const submits = state.submits;
    const again = await outbox.flush();
    expect(again.failed).toHaveLength(1);
    expect(state.submits).toBe(submits);
    await outbox.remove(refused.id);
    expect(await outbox.list()).toHaveLength(0);
    expect(state.discarded).toContain(photo);
  });

  it('runs flushes one at a time, so two triggers at once (network back + app shown) send once', async () => {
    const { state, transport } = device();
    const outbox = new Outbox(deviceStore(), transport);
    await outbox.add(item('issue', issueBody('并发：7号楼路灯不亮'), []));
    const [a, b] = await Promise.all([outbox.flush(), outbox.flush()]);
    expect(a.sent.length + b.sent.length).toBe(1);
    expect(state.submits).toBe(1);
    expect(await issuesWith('并发：7号楼路灯不亮')).toHaveLength(1);
  });
});
