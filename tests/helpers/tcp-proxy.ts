import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (the test's PostgreSQL), which a test cuts
 * and restores to play a database outage:
 * - `cut('refuse')`: every connection is dropped and the port refuses new ones (server down);
 * - `cut('blackhole')`: every connection is dropped and new ones are accepted but never answered
 *   (a network partition: only timeouts help);
 * - `restore()`: forwards again, on the same port.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let mode: 'forward' | 'blackhole' = 'forward';
  let server: net.Server | null = null;
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const onConnection = (client: net.Socket) => {
    track(client);
    if (mode === 'blackhole') return; // accepted, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = net.createServer(onConnection);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as net.AddressInfo).port);
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      for (const x of sockets) x.destroy();
      if (s) s.close(() => resolve());
      else resolve();
    });
  const port = await listen(0);

  return {
    port,
    /** The URL with its host and port replaced by the proxy's. */
    via: (url: string) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async cut(how: 'refuse' | 'blackhole') {
      if (how === 'refuse') return close();
      mode = 'blackhole';
      for (const x of sockets) x.destroy();
    },
    async restore() {
      mode = 'forward';
      if (!server) await listen(port);
    },
    close,
  };
}
