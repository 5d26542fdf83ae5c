import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/timing/clock.js';
import { WhowasHistory } from '../src/server/whowas.js';
import { RawClient, startServer } from './helpers.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const AT_T0 = 'Fri, 02 Jan 2026 03:04:05 GMT';
/** Times are exact: `now` is fixed, timers stay real. */
const fixedClock: Clock = { ...systemClock, now: () => T0 };

/** Register under `nick` with this username, then leave. */
async function visit(port: number, nick: string, user: string): Promise<void> {
  const client = await RawClient.register(port, nick, user);
  client.send('QUIT :bye');
  await client.closed;
}

function whowas(client: RawClient, line: string): Promise<string[]> {
  client.send(line);
  return client.collectUntil(/ 369 /);
}

describe('WHOWAS', () => {
  it('lists who used a nick, newest first, as 314 and 312 pairs, then 369', async () => {
    const { port } = await startServer({ clock: fixedClock });
    const alice = await RawClient.register(port, 'alice');
    await visit(port, 'nick2', 'ident2');
    await visit(port, 'nick2', 'ident3');
    const both = [
      ':test.server 314 alice nick2 ident3 127.0.0.1 * :nick2 Real',
      `:test.server 312 alice nick2 test.server :${AT_T0}`,
      ':test.server 314 alice nick2 ident2 127.0.0.1 * :nick2 Real',
      `:test.server 312 alice nick2 test.server :${AT_T0}`,
      ':test.server 369 alice nick2 :End of WHOWAS',
    ];
    expect(await whowas(alice, 'WHOWAS nick2')).toEqual(both);
    expect(await whowas(alice, 'WHOWAS NICK2 0')).toEqual(
      both.map((l) => l.replace(' 369 alice nick2', ' 369 alice NICK2')),
    );
    expect(await whowas(alice, 'WHOWAS nick2 -1')).toEqual(both);
    expect(await whowas(alice, 'WHOWAS nick2 2')).toEqual(both);
    expect(await whowas(alice, 'WHOWAS nick2 1')).toEqual([...both.slice(0, 2), both[4]]);
  });

  it('takes several nicks (TARGMAX WHOWAS:4): all their entries newest first, 406 for the unknown, one 369', async () => {
    const { port } = await startServer({ clock: fixedClock });
    const alice = await RawClient.register(port, 'alice');
    await visit(port, 'nick2', 'ident2');
    await visit(port, 'nick3', 'ident3');
    const entries = [
      ':test.server 314 alice nick3 ident3 127.0.0.1 * :nick3 Real',
      `:test.server 312 alice nick3 test.server :${AT_T0}`,
      ':test.server 314 alice nick2 ident2 127.0.0.1 * :nick2 Real',
      `:test.server 312 alice nick2 test.server :${AT_T0}`,
    ];
    for (const targets of ['nick2,nick3', 'nick3,nick2']) {
      expect(await whowas(alice, `WHOWAS ${targets}`)).toEqual([
        ...entries,
        `:test.server 369 alice ${targets} :End of WHOWAS`,
      ]);
    }
    expect(await whowas(alice, 'WHOWAS ghost,nick2')).toEqual([
      ...entries.slice(2),
      ':test.server 406 alice ghost :There was no such nickname',
      ':test.server 369 alice ghost,nick2 :End of WHOWAS',
    ]);
  });

  it('remembers the old nick on a nick change', async () => {
    const { port } = await startServer({ clock: fixedClock });
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    bob.send('NICK robert');
    await bob.next(':bob!bob@127.0.0.1 NICK robert');
    expect(await whowas(alice, 'WHOWAS bob')).toEqual([
      ':test.server 314 alice bob bob 127.0.0.1 * :bob Real',
      `:test.server 312 alice bob test.server :${AT_T0}`,
      ':test.server 369 alice bob :End of WHOWAS',
    ]);
  });

  it('answers 406 then 369 for a nick nobody used, and 431 alone without a nick', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    expect(await whowas(alice, 'WHOWAS ghost')).toEqual([
      ':test.server 406 alice ghost :There was no such nickname',
      ':test.server 369 alice ghost :End of WHOWAS',
    ]);
    // Someone still connected who never changed nick has no history either.
    expect(await whowas(alice, 'WHOWAS alice')).toEqual([
      ':test.server 406 alice alice :There was no such nickname',
      ':test.server 369 alice alice :End of WHOWAS',
    ]);
    alice.send('WHOWAS', 'WHOWAS :', 'PING done');
    expect(await alice.collectUntil(/ PONG /)).toEqual([
      ':test.server 431 alice :No nickname given',
      ':test.server 431 alice :No nickname given',
      ':test.server PONG test.server :done',
    ]);
  });

  it('does not remember unregistered connections', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    const early = await RawClient.connect(port);
    early.send('NICK early', 'QUIT');
    await early.closed;
    expect(await whowas(alice, 'WHOWAS early')).toEqual([
      ':test.server 406 alice early :There was no such nickname',
      ':test.server 369 alice early :End of WHOWAS',
    ]);
  });
});

describe('WhowasHistory bounds', () => {
  const entry = (nick: string, user: string) => ({
    nick,
    user,
    host: 'h',
    realname: 'r',
    server: 's',
    at: 0,
  });

  it('keeps at most the newest entries per nick, so one nick cannot push the others out', () => {
    const history = new WhowasHistory(100, 3);
    history.add(entry('other', 'o'));
    for (let n = 1; n <= 5; n += 1) history.add(entry('Loop', `u${n}`));
    expect(history.find(['loop'], Infinity).map((e) => e.user)).toEqual(['u5', 'u4', 'u3']);
    expect(history.find(['other'], Infinity).map((e) => e.user)).toEqual(['o']);
  });

  it('forgets the oldest entries beyond its total size', () => {
    const history = new WhowasHistory(3, 10);
    for (const nick of ['a', 'b', 'c', 'd']) history.add(entry(nick, nick));
    expect(history.find(['a'], Infinity)).toEqual([]);
    expect(history.find(['d'], 5).map((e) => e.user)).toEqual(['d']);
  });
});
