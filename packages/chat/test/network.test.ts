import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { serviceForTests } from '@quartet/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RawClient } from './helpers.js';
import { eventually, node, operFile, prefix, TTL_MS, waitForLog } from './network-nodes.js';

const redis = await serviceForTests('redis');
if (!redis.available) console.log(`chat network tests ${redis.reason}`);

const redisServer = spawnSync('redis-server', ['--version']).status === 0;
if (redis.available && !redisServer) console.log('chat Redis outage test skipped: no redis-server binary on PATH');

describe.skipIf(!redis.available)('several servers joined through Redis', () => {
  it('carries channel messages, private messages, JOIN/PART/NICK/QUIT/KICK, NAMES/WHO/WHOIS, unique nicks, kill and ban', async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);

    const carol = await RawClient.register(b.port, 'carol');
    await carol.join('#lobby');
    const alice = await RawClient.register(a.port, 'alice');
    await alice.join('#lobby');
    await carol.next(':alice!alice@127.0.0.1 JOIN #lobby');
    const bob = await RawClient.register(a.port, 'bob');
    await bob.join('#lobby');
    await carol.next(':bob!bob@127.0.0.1 JOIN #lobby');
    await eventually(alice, 'NAMES #lobby', / 366 /, / 353 alice = #lobby :@alice bob @carol$/);

    // In order per sender, to every member on every server.
    for (const n of [1, 2, 3, 4, 5]) alice.send(`PRIVMSG #lobby :m${n}`);
    for (const n of [1, 2, 3, 4, 5]) await carol.next(`:alice!alice@127.0.0.1 PRIVMSG #lobby :m${n}`);
    carol.send('PRIVMSG #lobby :from b');
    await alice.next(':carol!carol@127.0.0.1 PRIVMSG #lobby :from b');
    await bob.next(':carol!carol@127.0.0.1 PRIVMSG #lobby :from b');

    alice.send('PRIVMSG carol :psst', 'PRIVMSG nobody :hello?');
    await carol.next(':alice!alice@127.0.0.1 PRIVMSG carol :psst');
    await alice.next(':a.quartet.test 401 alice nobody :No such nick/channel');
    carol.send('NOTICE bob :noted');
    await bob.next(':carol!carol@127.0.0.1 NOTICE bob :noted');

    alice.send('WHOIS carol');
    expect(await alice.collectUntil(/ 318 /)).toEqual([
      ':a.quartet.test 311 alice carol carol 127.0.0.1 * :carol Real',
      ':a.quartet.test 319 alice carol :@#lobby',
      ':a.quartet.test 312 alice carol b.quartet.test :quartet chat',
      ':a.quartet.test 318 alice carol :End of /WHOIS list',
    ]);
    carol.send('WHO #lobby');
    expect(await carol.collectUntil(/ 315 /)).toEqual([
      ':b.quartet.test 352 carol #lobby carol 127.0.0.1 b.quartet.test carol H@ :0 carol Real',
      ':b.quartet.test 352 carol #lobby alice 127.0.0.1 a.quartet.test alice H@ :1 alice Real',
      ':b.quartet.test 352 carol #lobby bob 127.0.0.1 a.quartet.test bob H :1 bob Real',
      ':b.quartet.test 315 carol #lobby :End of WHO list',
    ]);

    // Nicks are unique across the network, whatever their case.
    const late = await RawClient.connect(b.port);
    late.send('NICK ALICE', 'USER late 0 * :Late');
    await late.next(':b.quartet.test 433 * ALICE :Nickname is already in use');
    bob.send('NICK robert');
    await carol.next(':bob!bob@127.0.0.1 NICK robert');
    late.send('NICK bob');
    await late.next(':b.quartet.test 001 bob :Welcome to the quartet IRC Network bob!late@127.0.0.1');
    late.send('NICK Robert');
    await late.next(':b.quartet.test 433 bob Robert :Nickname is already in use');

    // A channel operator on b kicks a member on a; a member leaves; a member quits.
    carol.send('KICK #lobby robert :behave');
    await bob.next(':carol!carol@127.0.0.1 KICK #lobby robert :behave');
    await alice.next(':carol!carol@127.0.0.1 KICK #lobby robert :behave');
    alice.send('PART #lobby :bye', 'JOIN #lobby');
    await carol.next(':alice!alice@127.0.0.1 PART #lobby :bye');
    await carol.next(':alice!alice@127.0.0.1 JOIN #lobby');

    // An operator on a kills a user on b, then bans and mutes across the network.
    alice.send('OPER boss hunter2');
    await alice.next(/ 381 /);
    alice.send('KILL bob :enough');
    await late.next(':alice!alice@127.0.0.1 KILL bob :enough');
    await late.next('ERROR :Closing Link: 127.0.0.1 (Killed (alice (enough)))');
    alice.send('MUTE carol 1h');
    await carol.next(/^:b\.quartet\.test NOTICE carol :You have been muted until .* UTC/);
    carol.send('PRIVMSG #lobby :muted?');
    await carol.next(':b.quartet.test NOTICE carol :You are muted; your message was not delivered');
    alice.send('BAN carol 1h :network-wide');
    await carol.next('ERROR :Closing Link: 127.0.0.1 (Banned (network-wide))');
    await alice.next(':carol!carol@127.0.0.1 QUIT :Banned (network-wide)');
    const again = await RawClient.connect(b.port);
    again.send('NICK carol', 'USER carol 0 * :Carol');
    await again.next('ERROR :Banned (network-wide)');
  });

  it("frees a SIGKILLed server's nicks within the expiry and shows its users as split", async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const alice = await RawClient.register(a.port, 'alice');
    alice.autoPong = true;
    await alice.join('#lobby');
    const doomed = await RawClient.register(b.port, 'doomed');
    await doomed.join('#lobby');
    await alice.next(':doomed!doomed@127.0.0.1 JOIN #lobby');
    const taker = await RawClient.connect(a.port);
    taker.send('NICK doomed', 'USER t 0 * :T');
    await taker.next(':a.quartet.test 433 * doomed :Nickname is already in use');

    b.child.kill('SIGKILL');
    await b.exited;
    await alice.next(':doomed!doomed@127.0.0.1 QUIT :*.net *.split', 5 * TTL_MS);
    // The claim key expires on its own; ask until it has.
    for (let attempt = 0; ; attempt += 1) {
      taker.send('NICK doomed');
      const answer = await taker.next(/ (001|433) /);
      if (answer.includes(' 001 ')) break;
      if (attempt > 30) throw new Error('the nick was never freed');
      await delay(200);
    }
    expect(taker.lines).toContain(':a.quartet.test 001 doomed :Welcome to the quartet IRC Network doomed!t@127.0.0.1');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A private, throwaway Redis on `port` (never the shared one), ready when it says so. */
async function privateRedis(port: number): Promise<{ stop(): Promise<void> }> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTestFinished(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited:\n${output}`)));
  });
  return {
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe.skipIf(!redisServer)('a Redis outage', () => {
  it('keeps serving local users, logs the outage, and rejoins the network when Redis returns', async () => {
    const port = await freePort();
    const broker = await privateRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const opers = await operFile();
    const a = await node(url, 'a', 'outage:', opers);
    const b = await node(url, 'b', 'outage:', opers);
    const carol = await RawClient.register(b.port, 'carol');
    carol.autoPong = true;
    await carol.join('#lobby');
    const alice = await RawClient.register(a.port, 'alice');
    alice.autoPong = true;
    await alice.join('#lobby');
    await carol.next(':alice!alice@127.0.0.1 JOIN #lobby');

    await broker.stop();
    await waitForLog(a, (e) => e['event'] === 'redis_down');
    await waitForLog(b, (e) => e['event'] === 'redis_down');
    const bob = await RawClient.register(a.port, 'bob');
    await bob.join('#lobby');
    alice.send('PRIVMSG #lobby :during the outage');
    await bob.next(':alice!alice@127.0.0.1 PRIVMSG #lobby :during the outage');

    await privateRedis(port);
    await waitForLog(a, (e) => e['event'] === 'redis_up', 2);
    await waitForLog(b, (e) => e['event'] === 'redis_up', 2);
    alice.send('PRIVMSG #lobby :after the outage');
    await carol.next(':alice!alice@127.0.0.1 PRIVMSG #lobby :after the outage');
    // At most once: what was said while Redis was away never reached the other server.
    expect(carol.lines.filter((line) => line.includes('during the outage'))).toEqual([]);
    // The nicks were claimed again in the new Redis: nobody on b can take them.
    const thief = await RawClient.connect(b.port);
    thief.send('NICK bob', 'USER t 0 * :T');
    await thief.next(':b.quartet.test 433 * bob :Nickname is already in use');
  });
});
