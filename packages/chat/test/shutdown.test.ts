import { connect } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RawClient, startServer } from './helpers.js';
import { logEvents, spawnServer } from './processes.js';

/** A peer that reads but never closes its end, as a hung or careless client would. */
async function neverClosing(port: number): Promise<{ received: () => string; ended: Promise<void> }> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  onTestFinished(() => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  let text = '';
  socket.setEncoding('utf8');
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  const welcomed = new Promise<void>((resolve) =>
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (/ 422 stubborn /.test(text)) resolve();
    }),
  );
  socket.write('NICK stubborn\r\nUSER stubborn 0 * :Stubborn\r\n');
  await welcomed;
  return { received: () => text, ended };
}

describe('shutdown', () => {
  it('has cut off every socket by the time it returns, also one whose peer never closes', async () => {
    const server = await startServer();
    const alice = await RawClient.register(server.port, 'alice');
    const stubborn = await neverClosing(server.port);
    const sockets = [...server.chat.registry.connections].map((connection) => connection.socket);
    expect(sockets).toHaveLength(2);

    await server.chat.shutdown();
    // Checked the moment shutdown returns, so no clock is involved: a socket left to its own close timer fails.
    expect(sockets.map((socket) => socket.destroyed)).toEqual([true, true]);
    await Promise.all([alice.closed, stubborn.ended]);
    expect(stubborn.received().trimEnd().split('\r\n').at(-1)).toBe('ERROR :Server shutting down');
  });

  it('on SIGTERM sends every client ERROR, closes every socket, even one whose peer never closes, and exits 0', async () => {
    const server = await spawnServer(['--port', '0', '--no-persist'], {
      ...process.env,
      LOG_LEVEL: 'info',
      CHAT_BCRYPT_COST: '4',
    });
    const port = server.port!;
    const alice = await RawClient.register(port, 'alice');
    const pending = await RawClient.connect(port);
    pending.send('NICK halfway');
    await pending.sync();
    const stubborn = await neverClosing(port);

    const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');

    await alice.next('ERROR :Server shutting down');
    await pending.next('ERROR :Server shutting down');
    await Promise.all([alice.closed, pending.closed]);
    await stubborn.ended;
    expect(stubborn.received().trimEnd().split('\r\n').at(-1)).toBe('ERROR :Server shutting down');
    // The peer that keeps its end open does not hold the server up: it is cut off, and the process exits.
    expect(await exit).toBe(0);
    expect(logEvents(server.stderr()).at(-1)).toMatchObject({ event: 'stopped' });
  });
});
