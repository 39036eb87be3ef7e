import net from 'node:net';
import { readSettings, serverTimeouts } from '../../apps/api/src/env';
import { buildTestApp, type TestApp } from '../helpers/build-app';

// The server's bounds on slow and idle clients (docs/runtime.md, "Timeouts"), taken from the
// settings as the server takes them and made small, against a real server listening on 127.0.0.1.
// A raw socket plays the client that holds a connection open: headers or a body sent a byte at a
// time (each byte well inside the idle bound, so only the header and request bounds can end it),
// an idle keep-alive connection, a connection that never sends anything.
const settings = readSettings({
  REQUEST_TIMEOUT_MS: '1500',
  HEADERS_TIMEOUT_MS: '700',
  KEEP_ALIVE_TIMEOUT_MS: '500',
  CONNECTION_TIMEOUT_MS: '2500',
});
/** Far beyond every bound above: a connection still open by then was not closed by the server. */
const GIVE_UP_MS = 15_000;

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await buildTestApp({ timeouts: serverTimeouts(settings) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await t?.close();
});

interface Played {
  /** Everything the server sent. */
  received: string;
  /** The server ended the connection before GIVE_UP_MS. */
  closedByServer: boolean;
}

/**
 * Connect, run the client's part (`play` gets the socket and a `closed` flag), and wait until the
 * server closes the connection or GIVE_UP_MS passes.
 */
function play(client: (socket: net.Socket, isClosed: () => boolean) => void): Promise<Played> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    let closed = false;
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedByServer: false });
    }, GIVE_UP_MS);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      received += d;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (closed) return;
      closed = true;
      clearTimeout(giveUp);
      resolve({ received, closedByServer: true });
    });
    socket.on('connect', () => client(socket, () => closed));
  });
}

/** Write one piece every `everyMs` until the connection is closed. */
function trickle(socket: net.Socket, isClosed: () => boolean, piece: (i: number) => string, everyMs = 100) {
  let i = 0;
  const timer = setInterval(() => {
    if (isClosed() || socket.destroyed) return clearInterval(timer);
    socket.write(piece(i++));
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

describe('slow and idle clients are cut off', () => {
  it('answers a client that keeps to the bounds', async () => {
    const r = await play((s) =>
      s.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
    );
    expect(r.closedByServer).toBe(true);
    expect(r.received).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes a connection whose headers never end (408)', async () => {
    const r = await play((s, closed) => {
      s.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      trickle(s, closed, (i) => `X-Slow-${i}: 1\r\n`);
    });
    expect(r.closedByServer).toBe(true);
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
  }, 20_000);

  it('closes a connection whose body never ends (408)', async () => {
    const r = await play((s, closed) => {
      s.write(
        'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"phone":"',
      );
      trickle(s, closed, () => '1');
    });
    expect(r.closedByServer).toBe(true);
    expect(r.received).toMatch(/^HTTP\/1\.1 408 /);
  }, 20_000);

  it('closes an idle keep-alive connection after its answer', async () => {
    const r = await play((s) => s.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    expect(r.closedByServer).toBe(true);
    expect(r.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.received.toLowerCase()).toContain('connection: keep-alive');
  }, 20_000);

  it('closes a connection that never sends a byte', async () => {
    const r = await play(() => {});
    expect(r.closedByServer).toBe(true);
  }, 20_000);
});
