import { createServer, connect, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export type ProxyMode = 'forward' | 'refuse' | 'blackhole';

/**
 * A TCP proxy in front of PostgreSQL, to take the database away from a server without touching
 * the machine's shared PostgreSQL: 'refuse' closes every connection and refuses new ones (a
 * stopped server), 'blackhole' accepts and swallows everything (a dead network), 'forward' works.
 */
export async function dbProxy(target: { host: string; port: number }) {
  let mode: ProxyMode = 'forward';
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(target);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk: Buffer) => {
        if (mode === 'forward') to.write(chunk);
      });
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  onTestFinished(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return {
    port,
    set(next: ProxyMode) {
      mode = next;
      if (next === 'refuse') for (const socket of sockets) socket.destroy();
    },
  };
}
