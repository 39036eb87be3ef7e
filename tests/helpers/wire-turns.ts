import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of the test's PostgreSQL that counts the client's round trips:
 * a "turn" is the client sending after it has been answered (its first bytes after server data),
 * so statements sent together (postgres.js pipelines what is issued without awaiting) are one turn
 * however many socket writes carry them. The proxy runs in the test's own event loop, so a
 * pipeline's later bytes (written in the same tick) reach it before any answer to the first can.
 */
export async function startTurnCounter(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let turns = 0;
  let answered = true;
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.on('data', (d) => {
      if (answered) turns++;
      answered = false;
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      answered = true;
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    /** The URL with its host and port replaced by the proxy's. */
    via: (url: string) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    /** The client's turns while `work` ran. */
    async count(work: () => Promise<unknown>) {
      const from = turns;
      await work();
      return turns - from;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
