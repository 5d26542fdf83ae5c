import { createServer, connect, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export type ProxyMode = 'forward' | 'refuse' | 'blackhole' | 'hold';

/**
 * A TCP proxy in front of PostgreSQL, to take the database away from a server without touching
 * the machine's shared PostgreSQL: 'refuse' closes every connection and refuses new ones (a
 * stopped server), 'blackhole' accepts and swallows everything (a dead network), 'hold' passes
 * requests on but keeps the answers until the next 'forward' (a slow network), 'forward' works.
 */
export async function dbProxy(target: { host: string; port: number }) {
  let mode: ProxyMode = 'forward';
  const sockets = new Set<Socket>();
  // Answers kept in 'hold' mode, in order, with the client each is for.
  const held: [Socket, Buffer][] = [];
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
        if (mode === 'hold' && from === upstream) held.push([to, chunk]);
        else if (mode === 'forward' || mode === 'hold') to.write(chunk);
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
    /** Answers kept since 'hold' began, not yet passed on. */
    held: () => held.length,
    set(next: ProxyMode) {
      mode = next;
      if (next === 'refuse') for (const socket of sockets) socket.destroy();
      if (next === 'forward') for (const [to, chunk] of held.splice(0)) to.write(chunk);
    },
  };
}
