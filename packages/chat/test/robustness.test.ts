import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/timing/clock.js';
import { joinedClients, RawClient, startServer } from './helpers.js';

const pair = (port: number) => joinedClients(port, '#r', 'alice', 'bob');

describe('input limits', () => {
  it('answers a line over 512 bytes with 417, drops it, and keeps the connection', async () => {
    const { port } = await startServer();
    const [alice, bob] = await pair(port);
    const prefix = 'PRIVMSG #r :';
    const fits = prefix + 'a'.repeat(510 - prefix.length); // 510 bytes + CR LF = 512
    alice.send(prefix + 'x'.repeat(600), fits);
    alice.socket.write(`${prefix}${'y'.repeat(100_000)}`);
    alice.socket.write('\r\nPRIVMSG #r :after\r\n');
    await alice.next(':test.server 417 alice :Input line was too long');
    // Relayed with a prefix, it would pass 512 bytes: the server cuts it to 510 + CR LF.
    const relayed = await bob.next(/^:alice!alice@127\.0\.0\.1 PRIVMSG #r :a+$/);
    expect(Buffer.byteLength(relayed)).toBe(510);
    await alice.next(':test.server 417 alice :Input line was too long');
    await bob.next(':alice!alice@127.0.0.1 PRIVMSG #r :after');
    await alice.sync();
    expect(alice.lines.filter((l) => / 417 /.test(l))).toHaveLength(2);
    expect(bob.lines.filter((l) => /xxx|yyy/.test(l))).toEqual([]);
  });

  it('replaces invalid UTF-8 with U+FFFD', async () => {
    const { port } = await startServer();
    const [alice, bob] = await pair(port);
    alice.socket.write(
      Buffer.concat([Buffer.from('PRIVMSG #r :caf'), Buffer.from([0xc3, 0x20, 0xff, 0xfe]), Buffer.from(' ok\r\n')]),
    );
    await bob.next(':alice!alice@127.0.0.1 PRIVMSG #r :caf\uFFFD \uFFFD\uFFFD ok');
  });
});

describe('flood control', () => {
  it('holds lines over the rate back and delivers them in order', async () => {
    const { port } = await startServer({ limits: { floodPerSecond: 200 } });
    const [alice, bob] = await pair(port);
    // NICK, USER and JOIN used 3 of the 10; 7 go at once and 8 wait, within the 10 that may wait.
    alice.send(...Array.from({ length: 15 }, (_, i) => `PRIVMSG #r :m${i}`));
    const got = await bob.collectUntil(/ :m14$/);
    expect(got.map((l) => l.split(' :')[1])).toEqual(Array.from({ length: 15 }, (_, i) => `m${i}`));
    expect(alice.isClosed).toBe(false);
  });

  it('disconnects a client that keeps exceeding 10 lines then 2 per second with Excess Flood; others carry on', async () => {
    // Time stands still, so no token comes back during the burst and the count below is exact.
    const frozen = Date.now();
    const { port } = await startServer({ clock: { ...systemClock, now: () => frozen } });
    const [alice, bob] = await pair(port);
    const carol = await RawClient.register(port, 'carol');
    await carol.join('#r');
    alice.send(...Array.from({ length: 40 }, (_, i) => `PRIVMSG #r :flood${i}`));
    await alice.next('ERROR :Closing Link: 127.0.0.1 (Excess Flood)');
    await alice.closed;
    await bob.next(':alice!alice@127.0.0.1 QUIT :Excess Flood');
    const delivered = bob.lines.filter((l) => l.includes('PRIVMSG #r :flood')).map((l) => l.split(' :')[1]);
    // What was left of the burst of 10 after NICK, USER and JOIN got through, in order; nothing after the cut-off.
    expect(delivered).toEqual(Array.from({ length: 7 }, (_, i) => `flood${i}`));
    carol.send('PRIVMSG #r :still fine');
    await bob.next(':carol!carol@127.0.0.1 PRIVMSG #r :still fine');
  });
});

describe('send queue', () => {
  it('disconnects a client that stops reading once its queue passes 1 MiB, without holding up the others', async () => {
    const { port } = await startServer({ limits: { floodBurst: 1e9, floodQueueMax: 1e9 } });
    const [sender, reader] = await pair(port);
    const slow = await RawClient.register(port, 'slow');
    await slow.join('#r');
    await reader.next(/ JOIN #r$/);
    slow.socket.pause(); // never reads again: the kernel buffers fill, then our queue
    const text = 'z'.repeat(400);
    let batch = 0;
    while (!reader.lines.some((l) => l.includes(' QUIT :SendQ exceeded'))) {
      batch += 1;
      expect(batch, 'SendQ never triggered').toBeLessThan(400);
      sender.send(...Array.from({ length: 500 }, (_, i) => `PRIVMSG #r :${batch}-${i} ${text}`));
      // The reader keeps receiving every message as it is sent.
      await reader.next(
        `:sender!sender@127.0.0.1 PRIVMSG #r :${batch}-499 ${text}`.replace('sender!sender', 'alice!alice'),
      );
    }
    expect(reader.lines.filter((l) => l.endsWith(' QUIT :SendQ exceeded'))).toEqual([
      ':slow!slow@127.0.0.1 QUIT :SendQ exceeded',
    ]);
    slow.socket.resume();
    await slow.closed;
    sender.send('PRIVMSG #r :after');
    await reader.next(':alice!alice@127.0.0.1 PRIVMSG #r :after');
  });
});

describe('timeouts', () => {
  it('drops a connection that does not register in time', async () => {
    const { port, logs } = await startServer({ limits: { registrationTimeoutMs: 40 } });
    const client = await RawClient.connect(port);
    client.send('NICK late');
    await client.next('ERROR :Closing Link: 127.0.0.1 (Registration timed out)');
    await client.closed;
    expect(logs().find((l) => l['event'] === 'disconnect')).toMatchObject({
      nick: 'late',
      reason: 'Registration timed out',
    });
  });

  it('PINGs a silent client and drops it when no PONG comes; a client that answers stays', async () => {
    const { port } = await startServer({ limits: { pingAfterMs: 60, pingTimeoutMs: 60 } });
    const [alice, bob] = await pair(port);
    bob.autoPong = true;
    await alice.next('PING test.server');
    await alice.next(/^ERROR :Closing Link: 127\.0\.0\.1 \(Ping timeout: \d+ seconds\)$/);
    await bob.next(/^:alice!alice@127\.0\.0\.1 QUIT :Ping timeout: \d+ seconds$/);
    await bob.next('PING test.server');
    await bob.next('PING test.server');
    await bob.sync();
    expect(bob.isClosed).toBe(false);
  });
});

describe('connection limits', () => {
  it('enforces --max-clients', async () => {
    const { port } = await startServer({ limits: { maxClients: 2 } });
    const first = await RawClient.register(port, 'one');
    await RawClient.register(port, 'two');
    const third = await RawClient.connect(port);
    await third.next('ERROR :Closing Link: 127.0.0.1 (Too many connections)');
    await third.closed;
    first.send('QUIT');
    await first.closed;
    await RawClient.register(port, 'three');
  });

  it('enforces the per-address limit and frees a slot when a connection goes', async () => {
    const { port, logs } = await startServer({ limits: { maxPerIp: 2 } });
    const a = await RawClient.connect(port);
    await RawClient.connect(port);
    const refused = await RawClient.connect(port);
    await refused.next('ERROR :Closing Link: 127.0.0.1 (Too many connections from your IP)');
    a.socket.destroy();
    await a.closed;
    await expect.poll(() => logs().filter((l) => l['event'] === 'disconnect').length).toBe(1);
    await RawClient.register(port, 'again');
  });
});

describe('abrupt disconnects', () => {
  it('announces a reset socket as a QUIT with a reason, and a closed one likewise', async () => {
    const { port, logs } = await startServer();
    const [alice, bob] = await pair(port);
    const carol = await RawClient.register(port, 'carol');
    await carol.join('#r');
    alice.socket.resetAndDestroy();
    await bob.next(':alice!alice@127.0.0.1 QUIT :Connection reset by peer');
    await carol.next(/ QUIT :Connection reset by peer$/);
    carol.socket.end();
    await bob.next(':carol!carol@127.0.0.1 QUIT :Remote host closed the connection');
    await bob.sync();
    const events = logs().map((l) =>
      `${String(l['event'])} ${String(l['nick'] ?? l['ip'])} ${typeof l['reason'] === 'string' ? l['reason'] : ''}`.trim(),
    );
    expect(events).toEqual([
      'connect 127.0.0.1',
      'register alice',
      'connect 127.0.0.1',
      'register bob',
      'connect 127.0.0.1',
      'register carol',
      'disconnect alice Connection reset by peer',
      'disconnect carol Remote host closed the connection',
    ]);
  });
});
