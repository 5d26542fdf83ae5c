import { connect, createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Message } from '../src/protocol/message.js';
import { ClientSession } from '../src/client/session.js';
import { RawClient, startServer } from './helpers.js';

function recorder() {
  const statuses: string[] = [];
  const messages: Message[] = [];
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${check.toString()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  return { statuses, messages, wake, until };
}

describe('ClientSession', () => {
  it('asks for another nick when its nick is taken, answers PING, and tracks its channels', async () => {
    const { port } = await startServer({ limits: { pingAfterMs: 30, pingTimeoutMs: 30 } });
    const watcher = await RawClient.register(port, 'dave');
    watcher.autoPong = true;
    const r = recorder();
    const refused: string[] = [];
    const session = new ClientSession(
      { host: '127.0.0.1', port, nick: 'Dave', channel: '#home', reconnect: false },
      {
        message: (m) => {
          r.messages.push(m);
          r.wake();
        },
        status: (s) => r.statuses.push(s),
        nickRefused: (nick) => {
          refused.push(nick);
          return Promise.resolve('dave2');
        },
        registered: () => r.wake(),
        closed: () => r.wake(),
      },
    );
    session.start();
    await r.until(() => session.currentChannel === '#home');
    expect(refused).toEqual(['Dave']);
    expect(session.nick).toBe('dave2');
    // Each PING is answered, or the server would drop us 30 ms after the first.
    await r.until(() => r.messages.filter((m) => m.command === 'PING').length >= 3);
    session.send({ command: 'JOIN', params: ['#two'] });
    await r.until(() => session.channels.length === 2);
    expect([session.channels, session.currentChannel]).toEqual([['#home', '#two'], '#two']);
    session.send({ command: 'PART', params: ['#two'] });
    await r.until(() => session.channels.length === 1);
    expect(session.currentChannel).toBe('#home');
    await session.quit('bye');
    await watcher.sync();
  });

  it('says when the connection drops and reconnects with growing delays, rejoining its channels', async () => {
    // A server that accepts and then drops connections, until we let one through to the real chat server.
    const { port: chatPort } = await startServer();
    let drops = 2;
    const sockets = new Set<Socket>();
    const proxy: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      if (drops > 0) {
        drops -= 1;
        socket.destroy();
        return;
      }
      const upstream = connect(chatPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
      upstream.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      sockets.forEach((s) => s.destroy());
      proxy.close();
    });
    const port = (proxy.address() as { port: number }).port;
    const r = recorder();
    const session = new ClientSession(
      {
        host: '127.0.0.1',
        port,
        nick: 'erin',
        channel: '#lobby',
        reconnect: true,
        backoffMs: { initial: 10, max: 40 },
      },
      {
        message: (m) => {
          r.messages.push(m);
          r.wake();
        },
        status: (s) => {
          r.statuses.push(s);
          r.wake();
        },
        nickRefused: () => Promise.reject(new Error('unexpected')),
        registered: () => r.wake(),
        closed: () => r.wake(),
      },
    );
    session.start();
    await r.until(() => session.currentChannel === '#lobby');
    // Why it dropped depends on timing (closed, EPIPE, ECONNRESET); the delays double.
    expect(r.statuses).toEqual([
      `Connecting to 127.0.0.1:${port}…`,
      expect.stringMatching(/^Disconnected \(connection (closed|failed: \w+)\); reconnecting in 10ms$/),
      `Connecting to 127.0.0.1:${port}…`,
      expect.stringMatching(/^Disconnected \(connection (closed|failed: \w+)\); reconnecting in 20ms$/),
      `Connecting to 127.0.0.1:${port}…`,
    ]);
    session.send({ command: 'JOIN', params: ['#second'] });
    await r.until(() => session.channels.length === 2);
    // The server goes away mid-session: we come back into both channels.
    sockets.forEach((s) => s.destroy());
    await r.until(() => r.statuses.length === 7 && session.channels.length === 2 && session.registered);
    await r.until(() => r.messages.filter((m) => m.command === 'JOIN').length === 4);
    expect(session.channels).toEqual(['#lobby', '#second']);
    await session.quit('done');
  });
});
