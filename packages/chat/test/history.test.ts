import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openChatStore, type ChatStore } from '../src/db/chat-store.js';
import { clock as hhmm } from '../src/protocol/render.js';
import { systemClock, type Clock } from '../src/timing/clock.js';
import { joinedClients, RawClient, startServer, tempDir } from './helpers.js';
import { CLIENT, run } from './processes.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

/** A clock whose `now` the test sets, so that stored times are exact; timers stay real. */
function fakeClock(start = T0): Clock & { set(ms: number): void } {
  let now = start;
  return { ...systemClock, now: () => now, set: (ms) => (now = ms) };
}

function store(file = join(tempDir(), 'chat.db')): ChatStore {
  const opened = openChatStore(file);
  onTestFinished(() => opened.close());
  return opened;
}

/** JOIN, and every line up to the answer to a PING sent right after it. */
function joinCollect(client: RawClient, channel: string): Promise<string[]> {
  client.send(`JOIN ${channel}`, 'PING joined');
  return client.collectUntil(/ PONG .*joined$/);
}

describe('channel history', () => {
  it('replays to a joiner as an IRCv3 batch with server-time, as [history] NOTICEs, or as plain [history] lines', async () => {
    const clock = fakeClock();
    const { port } = await startServer({ store: store(), clock });
    const [alice, bob] = await joinedClients(port, '#room', 'alice', 'bob');
    alice.send('PRIVMSG #room :one');
    await bob.next(':alice!alice@127.0.0.1 PRIVMSG #room :one');
    clock.set(T0 + 1_000);
    alice.send('PRIVMSG #room :\x01ACTION waves\x01', 'PRIVMSG bob :a secret', 'NOTICE #room :two');
    await bob.next(':alice!alice@127.0.0.1 NOTICE #room :two');

    const carol = await RawClient.connect(port);
    carol.send('CAP LS 302', 'NICK carol', 'USER carol 0 * :Carol', 'CAP REQ :batch server-time');
    await carol.next('@time=2026-01-02T03:04:06.000Z :test.server CAP carol ACK :batch server-time');
    carol.send('CAP END', 'JOIN #room');
    await carol.next(/ 366 /);
    expect(await carol.collectUntil(/BATCH -/)).toEqual([
      '@time=2026-01-02T03:04:06.000Z :test.server BATCH +history1 chathistory #room',
      '@batch=history1;time=2026-01-02T03:04:05.000Z :alice!alice@127.0.0.1 PRIVMSG #room :one',
      '@batch=history1;time=2026-01-02T03:04:06.000Z :alice!alice@127.0.0.1 PRIVMSG #room :\x01ACTION waves\x01',
      '@batch=history1;time=2026-01-02T03:04:06.000Z :alice!alice@127.0.0.1 NOTICE #room :two',
      '@time=2026-01-02T03:04:06.000Z :test.server BATCH -history1',
    ]);
    // Live messages to a server-time client carry the time they were sent.
    bob.send('PRIVMSG #room :live');
    await carol.next('@time=2026-01-02T03:04:06.000Z :bob!bob@127.0.0.1 PRIVMSG #room :live');

    const dave = await RawClient.register(port, 'dave');
    expect((await joinCollect(dave, '#room')).filter((l) => l.includes('[history]'))).toEqual([
      ':test.server NOTICE #room :[history] 2026-01-02 03:04:05Z <alice> one',
      ':test.server NOTICE #room :[history] 2026-01-02 03:04:06Z * alice waves',
      ':test.server NOTICE #room :[history] 2026-01-02 03:04:06Z -alice- two',
      ':test.server NOTICE #room :[history] 2026-01-02 03:04:06Z <bob> live',
    ]);

    const erin = await RawClient.connect(port);
    erin.socket.write('erin\n/join #room\n');
    await erin.next(/Users on #room/);
    const at = (ms: number) => hhmm(new Date(ms));
    expect(await erin.collectUntil(/live$/)).toEqual([
      `[history] [${at(T0)}] <alice> one`,
      `[history] [${at(T0 + 1000)}] * alice waves`,
      `[history] [${at(T0 + 1000)}] -alice- two`,
      `[history] [${at(T0 + 1000)}] <bob> live`,
    ]);
  });

  it('chat-client shows the replay marked as history, apart from live lines', async () => {
    const { port } = await startServer({ store: store() });
    const [alice] = await joinedClients(port, '#lobby', 'alice');
    alice.send('PRIVMSG #lobby :before you came');
    await alice.sync();
    const result = await run(CLIENT, ['--port', String(port), '--nick', 'reader'], '');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => l.includes('before you came') || l.includes('has joined'));
    expect(lines.map((l) => l.replace(/\[\d\d:\d\d\]/, '[hh:mm]'))).toEqual([
      '[hh:mm] * reader has joined #lobby',
      '[history] [hh:mm] <alice> before you came',
    ]);
  });

  it('survives a restart, replays only the newest N, and never stores private messages', async () => {
    const file = join(tempDir(), 'chat.db');
    const first = openChatStore(file);
    const server = await startServer({ store: first });
    const [alice] = await joinedClients(server.port, '#lobby', 'alice', 'bob');
    for (const n of [1, 2, 3, 4, 5]) alice.send(`PRIVMSG #lobby :m${n}`);
    alice.send('PRIVMSG bob :private');
    await alice.sync();
    expect(first.recent('#lobby', 100)).toHaveLength(5);
    expect(first.recent('bob', 100)).toEqual([]);
    await server.chat.shutdown();
    first.close();

    const { port } = await startServer({ store: store(file), history: { limit: 3, retentionMs: 86_400_000 } });
    const bob = await RawClient.register(port, 'bob');
    const lines = await joinCollect(bob, '#lobby');
    expect(lines.filter((l) => / NOTICE /.test(l)).map((l) => l.replace(/.*Z /, ''))).toEqual([
      '<alice> m3',
      '<alice> m4',
      '<alice> m5',
    ]);
  });

  it('prunes messages older than the retention period', async () => {
    const clock = fakeClock();
    const history = store();
    const { port, chat } = await startServer({ store: history, clock, history: { limit: 50, retentionMs: 60_000 } });
    const [alice] = await joinedClients(port, '#lobby', 'alice');
    alice.send('PRIVMSG #lobby :old');
    await alice.sync();
    clock.set(T0 + 50_000);
    alice.send('PRIVMSG #lobby :new');
    await alice.sync();
    clock.set(T0 + 70_000);
    expect(chat.pruneHistory()).toBe(1);
    expect(history.recent('#lobby', 50).map((m) => m.text)).toEqual(['new']);
    expect(chat.pruneHistory()).toBe(0);
  });
});
