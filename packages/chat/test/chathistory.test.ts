import { join } from 'node:path';
import { serviceForTests } from '@quartet/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openChatStore, type ChatStore } from '../src/db/chat-store.js';
import { systemClock, type Clock } from '../src/timing/clock.js';
import { accountServer } from './account-server.js';
import { capClient, exchange, received } from './exchange.js';
import { RawClient, startServer, tempDir } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';
import { spawnServer } from './processes.js';
import { serverArgs } from './terminal-clients.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const NOW = T0 + 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const FULL = 'batch server-time message-tags draft/chathistory';
const UNTHROTTLED = { floodBurst: 10_000, floodPerSecond: 10_000, floodQueueMax: 10_000 };

/** A clock whose `now` the test sets, so that stored times are exact; timers stay real. */
function fakeClock(): Clock & { set(ms: number): void } {
  let now = T0;
  return { ...systemClock, now: () => now, set: (ms) => (now = ms) };
}

function store(file = join(tempDir(), 'chat.db')): ChatStore {
  const opened = openChatStore(file);
  onTestFinished(() => opened.close());
  return opened;
}

const msgidOf = (line: string) => /^@msgid=([^; ]+) /.exec(line)?.[1] ?? `no msgid in ${line}`;

/**
 * alice says m1…m5 in #room, one a second from T0 + 1 s; `reader` (every capability) is on #room at NOW.
 * `line(n, batch)` is m<n> as CHATHISTORY returns it, `batch(id, …)` the batch around such lines.
 */
async function fiveMessages(options: { store?: ChatStore } = {}) {
  const clock = fakeClock();
  const server = await startServer({ store: options.store ?? store(), clock, limits: UNTHROTTLED });
  const alice = await capClient(server.port, 'alice', 'message-tags echo-message');
  await alice.join('#room');
  const ids: string[] = [];
  for (const n of [1, 2, 3, 4, 5]) {
    clock.set(T0 + n * 1000);
    const [echo] = await exchange(alice, `PRIVMSG #room :m${n}`);
    ids.push(msgidOf(echo!));
  }
  clock.set(NOW);
  const reader = await capClient(server.port, 'reader', FULL);
  await reader.join('#room');
  const line = (n: number, batch: string) =>
    `@batch=${batch};msgid=${ids[n - 1]};time=${iso(T0 + n * 1000)} :alice!alice@127.0.0.1 PRIVMSG #room :m${n}`;
  const batch = (id: string, ...lines: string[]) => [
    `@time=${iso(NOW)} :test.server BATCH +${id} chathistory #room`,
    ...lines,
    `@time=${iso(NOW)} :test.server BATCH -${id}`,
  ];
  const id = (n: number) => ids[n - 1]!;
  return { ...server, clock, alice, reader, id, line, batch };
}

describe('CHATHISTORY', () => {
  it('answers every subcommand with msgid and timestamp references, oldest first, in a chathistory batch', async () => {
    const { reader, id, line, batch } = await fiveMessages();
    const at = (seconds: number) => `timestamp=${iso(T0 + seconds * 1000)}`;
    const ask = (query: string) => exchange(reader, `CHATHISTORY ${query}`);
    const answers: [string, number[]][] = [
      ['LATEST #room * 2', [4, 5]],
      [`LATEST #room msgid=${id(3)} 10`, [4, 5]],
      [`LATEST #room ${at(3)} 1`, [5]],
      [`BEFORE #room msgid=${id(4)} 2`, [2, 3]],
      [`BEFORE #room ${at(3)} 10`, [1, 2]],
      [`AFTER #room msgid=${id(2)} 2`, [3, 4]],
      [`AFTER #room ${at(4)} 10`, [5]],
      [`AROUND #room msgid=${id(3)} 3`, [2, 3, 4]],
      [`AROUND #room msgid=${id(3)} 1`, [3]],
      [`AROUND #room ${at(3)} 2`, [2, 3]],
      [`BETWEEN #room msgid=${id(1)} msgid=${id(5)} 2`, [2, 3]],
      [`BETWEEN #room msgid=${id(5)} msgid=${id(1)} 2`, [3, 4]],
      [`BETWEEN #room ${at(0.5)} ${at(4.5)} 10`, [1, 2, 3, 4]],
      [`BETWEEN #room ${at(4.5)} msgid=${id(1)} 10`, [2, 3, 4]],
      [`latest #ROOM * 10`, [1, 2, 3, 4, 5]],
    ];
    let batches = 0;
    for (const [query, numbers] of answers) {
      const name = `history${(batches += 1)}`;
      expect({ query, lines: await ask(query) }).toEqual({
        query,
        lines: batch(name, ...numbers.map((n) => line(n, name))),
      });
    }
    // Nothing there: an empty batch, also for a msgid the channel does not hold.
    expect(await ask(`BEFORE #room ${at(1)} 10`)).toEqual(batch('history16'));
    expect(await ask('AFTER #room msgid=nonesuch 10')).toEqual(batch('history17'));
    expect(await ask(`AROUND #room msgid=nonesuch 10`)).toEqual(batch('history18'));
  });

  it('lists with TARGETS the channels with messages between two times, each with its latest, oldest first', async () => {
    const { alice, reader, clock } = await fiveMessages();
    const LATER = NOW + 2000;
    const QUERY = NOW + 5000;
    clock.set(LATER);
    await alice.join('#late');
    await exchange(alice, 'PRIVMSG #late :x');
    clock.set(QUERY);
    for (const channel of ['#late', '#quiet']) await reader.join(channel);
    const targets = (id: string, ...lines: string[]) => [
      `@time=${iso(QUERY)} :test.server BATCH +${id} draft/chathistory-targets`,
      ...lines.map((line) => `@time=${iso(QUERY)};batch=${id} :test.server CHATHISTORY TARGETS ${line}`),
      `@time=${iso(QUERY)} :test.server BATCH -${id}`,
    ];
    const between = (from: number, to: number, limit: number) =>
      exchange(reader, `CHATHISTORY TARGETS timestamp=${iso(from)} timestamp=${iso(to)} ${limit}`);
    const room = `#room ${iso(T0 + 5000)}`;
    const late = `#late ${iso(LATER)}`;
    expect(await between(T0, QUERY, 10)).toEqual(targets('history1', room, late));
    expect(await between(T0, QUERY, 1)).toEqual(targets('history2', room));
    expect(await between(QUERY, T0, 1)).toEqual(targets('history3', late));
    expect(await between(T0, T0 + 4500, 10)).toEqual(targets('history4', `#room ${iso(T0 + 4000)}`));
    expect(await between(T0 + 5500, QUERY, 10)).toEqual(targets('history5', late));
    expect(await between(QUERY, QUERY + 1000, 10)).toEqual(targets('history6'));
    expect(await exchange(reader, 'CHATHISTORY TARGETS msgid=abc timestamp=2026-01-01T00:00:00.000Z 10')).toEqual([
      `@time=${iso(QUERY)} :test.server FAIL CHATHISTORY INVALID_PARAMS TARGETS msgid=abc :Invalid message reference`,
    ]);
  });

  it('caps the limit at CHATHISTORY=100, for a larger limit and for 0', async () => {
    const { port } = await startServer({ store: store(), limits: UNTHROTTLED });
    const alice = await capClient(port, 'alice', FULL);
    await alice.join('#big');
    await exchange(alice, ...Array.from({ length: 105 }, (_, i) => `PRIVMSG #big :n${i + 1}`));
    const texts = async (query: string) =>
      (await exchange(alice, query)).filter((l) => / PRIVMSG /.test(l)).map((l) => l.slice(l.lastIndexOf(':') + 1));
    const newest100 = Array.from({ length: 100 }, (_, i) => `n${i + 6}`);
    expect(await texts('CHATHISTORY LATEST #big * 500')).toEqual(newest100);
    expect(await texts('CHATHISTORY LATEST #big * 0')).toEqual(newest100);
    expect(await texts('CHATHISTORY LATEST #big * 100')).toEqual(newest100);
    expect(await texts('CHATHISTORY LATEST #big * 99')).toEqual(newest100.slice(1));
  });

  it('refuses bad subcommands, references, limits and targets with the standard replies', async () => {
    const { port, reader } = await fiveMessages();
    const other = await RawClient.register(port, 'other');
    await other.join('#other');
    const fail = (text: string) => `@time=${iso(NOW)} :test.server FAIL CHATHISTORY ${text}`;
    const expectations: [string, string][] = [
      ['CHATHISTORY', 'NEED_MORE_PARAMS * :Missing parameters'],
      ['CHATHISTORY LATEST #room *', 'NEED_MORE_PARAMS LATEST :Missing parameters'],
      ['CHATHISTORY BETWEEN #room * 10', 'NEED_MORE_PARAMS BETWEEN :Missing parameters'],
      ['CHATHISTORY SEARCH #room * 10', 'UNKNOWN_COMMAND SEARCH :Unknown command'],
      ['CHATHISTORY TARGETS * 10', 'NEED_MORE_PARAMS TARGETS :Missing parameters'],
      ['CHATHISTORY BEFORE #room * 10', 'INVALID_PARAMS BEFORE * :Invalid message reference'],
      [
        'CHATHISTORY AFTER #room timestamp=yesterday 10',
        'INVALID_PARAMS AFTER timestamp=yesterday :Invalid message reference',
      ],
      [
        'CHATHISTORY AFTER #room timestamp=2026-13-45T99:00:00.000Z 10',
        'INVALID_PARAMS AFTER timestamp=2026-13-45T99:00:00.000Z :Invalid message reference',
      ],
      ['CHATHISTORY AROUND #room msgid= 10', 'INVALID_PARAMS AROUND msgid= :Invalid message reference'],
      ['CHATHISTORY BETWEEN #room * msgid=x 10', 'INVALID_PARAMS BETWEEN * :Invalid message reference'],
      ['CHATHISTORY LATEST #room * ten', 'INVALID_PARAMS LATEST ten :Invalid limit'],
      ['CHATHISTORY LATEST #room * -5', 'INVALID_PARAMS LATEST -5 :Invalid limit'],
      ['CHATHISTORY LATEST #other * 10', 'INVALID_TARGET LATEST #other :Messages could not be retrieved'],
      ['CHATHISTORY LATEST #nowhere * 10', 'INVALID_TARGET LATEST #nowhere :Messages could not be retrieved'],
      ['CHATHISTORY LATEST alice * 10', 'INVALID_TARGET LATEST alice :Messages could not be retrieved'],
    ];
    for (const [query, reply] of expectations) {
      expect({ query, lines: await exchange(reader, query) }).toEqual({ query, lines: [fail(reply)] });
    }
    // Without the capability there is no such command (the spec: it MUST be negotiated).
    expect(await exchange(other, 'CHATHISTORY LATEST #other * 10')).toEqual([
      ':test.server 421 other CHATHISTORY :Unknown command',
    ]);
  });

  it('says MESSAGE_ERROR on a server that keeps no history', async () => {
    const { port } = await startServer();
    const client = await capClient(port, 'solo', 'draft/chathistory');
    await client.join('#room');
    expect(await exchange(client, 'CHATHISTORY LATEST #room * 10')).toEqual([
      ':test.server FAIL CHATHISTORY MESSAGE_ERROR LATEST #room :History is not kept on this server',
    ]);
  });

  it('skips the JOIN replay for a draft/chathistory client; the replay carries msgids to message-tags clients', async () => {
    const { port, id } = await fiveMessages();
    const modern = await capClient(port, 'modern', FULL);
    expect((await exchange(modern, 'JOIN #room')).filter((l) => !/ (353|366) /.test(l))).toEqual([
      `@time=${iso(NOW)} :modern!modern@127.0.0.1 JOIN #room`,
    ]);
    const older = await capClient(port, 'older', 'batch server-time message-tags');
    const replay = (await exchange(older, 'JOIN #room')).filter((l) => / PRIVMSG |BATCH/.test(l));
    expect(replay).toEqual([
      `@time=${iso(NOW)} :test.server BATCH +history1 chathistory #room`,
      ...[1, 2, 3, 4, 5].map(
        (n) => `@batch=history1;msgid=${id(n)};time=${iso(T0 + n * 1000)} :alice!alice@127.0.0.1 PRIVMSG #room :m${n}`,
      ),
      `@time=${iso(NOW)} :test.server BATCH -history1`,
    ]);
  });

  it('without batch, server-time or message-tags, sends the bare lines', async () => {
    const { port } = await fiveMessages();
    const bare = await capClient(port, 'bare', 'draft/chathistory');
    await bare.join('#room');
    expect(await exchange(bare, 'CHATHISTORY LATEST #room * 2')).toEqual([
      ':alice!alice@127.0.0.1 PRIVMSG #room :m4',
      ':alice!alice@127.0.0.1 PRIVMSG #room :m5',
    ]);
  });

  it('keeps msgids across a restart with the same data file', async () => {
    const file = join(tempDir(), 'chat.db');
    const first = openChatStore(file);
    const before = await fiveMessages({ store: first });
    await before.chat.shutdown();
    first.close();

    const clock = fakeClock();
    clock.set(NOW);
    const { port } = await startServer({ store: store(file), clock });
    const reader = await capClient(port, 'reader', FULL);
    await reader.join('#room');
    expect(await exchange(reader, `CHATHISTORY AFTER #room msgid=${before.id(3)} 10`)).toEqual(
      before.batch('history1', before.line(4, 'history1'), before.line(5, 'history1')),
    );
  });
});

describe('CHATHISTORY and accounts', () => {
  it("replays the sender's account as the account tag, to readers with account-tag only", async () => {
    const { port } = await accountServer({ store: store() });
    const alice = await capClient(port, 'alice', '');
    await alice.join('#room');
    await exchange(alice, 'REGISTER * * :through the looking glass');
    await exchange(alice, 'PRIVMSG #room :signed', 'NICK anon', 'PRIVMSG #room :still signed');
    const guest = await RawClient.register(port, 'guest');
    await guest.join('#room');
    await exchange(guest, 'PRIVMSG #room :unsigned');

    const tagged = await capClient(port, 'tagged', 'draft/chathistory account-tag');
    const untagged = await capClient(port, 'untagged', 'draft/chathistory');
    for (const reader of [tagged, untagged]) await reader.join('#room');
    expect(await exchange(tagged, 'CHATHISTORY LATEST #room * 10')).toEqual([
      '@account=alice :alice!alice@127.0.0.1 PRIVMSG #room :signed',
      '@account=alice :anon!alice@127.0.0.1 PRIVMSG #room :still signed',
      ':guest!guest@127.0.0.1 PRIVMSG #room :unsigned',
    ]);
    expect(await exchange(untagged, 'CHATHISTORY LATEST #room * 10')).toEqual([
      ':alice!alice@127.0.0.1 PRIVMSG #room :signed',
      ':anon!alice@127.0.0.1 PRIVMSG #room :still signed',
      ':guest!guest@127.0.0.1 PRIVMSG #room :unsigned',
    ]);
  });
});

describe('chat-server --no-persist', () => {
  it('keeps more than the --history replay for CHATHISTORY, which the JOIN replay still limits', async () => {
    const server = await spawnServer([...serverArgs, '--history', '5']);
    // Seven talkers, eight lines each: within every one's flood burst, and more than --history.
    for (let talker = 0; talker < 7; talker += 1) {
      const client = await RawClient.register(server.port!, `t${talker}`);
      await client.join('#deep');
      await exchange(client, ...Array.from({ length: 8 }, (_, i) => `PRIVMSG #deep :n${talker * 8 + i + 1}`));
    }
    const texts = (lines: string[]) => lines.filter((l) => / PRIVMSG /.test(l)).map((l) => l.replace(/.*:/, ''));
    const reader = await capClient(server.port!, 'reader', 'draft/chathistory');
    await reader.join('#deep');
    expect(texts(await exchange(reader, 'CHATHISTORY LATEST #deep * 100'))).toEqual(
      Array.from({ length: 56 }, (_, i) => `n${i + 1}`),
    );
    const joiner = await RawClient.register(server.port!, 'joiner');
    const replay = await exchange(joiner, 'JOIN #deep');
    expect(replay.filter((l) => l.includes('[history]')).map((l) => l.replace(/.* /, ''))).toEqual([
      'n52',
      'n53',
      'n54',
      'n55',
      'n56',
    ]);
  });
});

const redis = await serviceForTests('redis');

describe.skipIf(!redis.available)('CHATHISTORY on servers joined through Redis', () => {
  it('holds messages said on the other server under the msgid they were sent with', async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers);
    const b = await node(redis.url, 'b', keys, opers);
    const reader = await capClient(b.port, 'reader', 'message-tags draft/chathistory batch');
    await reader.join('#net');
    const sender = await capClient(a.port, 'sender', 'message-tags echo-message');
    await sender.join('#net');
    await eventually(sender, 'NAMES #net', / 366 /, / 353 sender = #net :.*reader/);

    const [echo] = await exchange(sender, 'PRIVMSG #net :across');
    const msgid = msgidOf(echo!);
    await reader.next(`@msgid=${msgid} :sender!sender@127.0.0.1 PRIVMSG #net :across`);
    await received(reader);
    expect(await exchange(reader, 'CHATHISTORY LATEST #net * 10')).toEqual([
      ':b.quartet.test BATCH +history1 chathistory #net',
      `@batch=history1;msgid=${msgid} :sender!sender@127.0.0.1 PRIVMSG #net :across`,
      ':b.quartet.test BATCH -history1',
    ]);
  });
});
