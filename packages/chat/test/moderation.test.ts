import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openChatStore } from '../src/db/chat-store.js';
import { systemClock, type Clock } from '../src/timing/clock.js';
import { hasher, joinedClients, RawClient, startServer, tempDir } from './helpers.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function fakeClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { ...systemClock, now: () => T0 + offset, advance: (ms) => (offset += ms) };
}

async function operator(port: number, nick = 'boss'): Promise<RawClient> {
  const boss = await RawClient.register(port, nick);
  boss.send('OPER boss hunter2');
  await boss.next(/ MODE \S+ \+o$/);
  return boss;
}

describe('server bans', () => {
  it('disconnects the banned user at once, refuses them at registration, and survives a restart', async () => {
    const file = join(tempDir(), 'chat.db');
    const opers = { boss: await hasher.hash('hunter2') };
    const clock = fakeClock();
    const first = openChatStore(file);
    const server = await startServer({ store: first, opers, clock });
    const [eve, watcher] = await joinedClients(server.port, '#lobby', 'eve', 'watcher');
    const boss = await operator(server.port);

    watcher.send('BAN eve');
    await watcher.next(":test.server 481 watcher :Permission Denied- You're not an IRC operator");
    boss.send('BAN eve 2h :spamming links');
    await eve.next('ERROR :Closing Link: 127.0.0.1 (Banned (spamming links))');
    await watcher.next(':eve!eve@127.0.0.1 QUIT :Banned (spamming links)');
    await boss.next(`:test.server NOTICE boss :Banned eve!*@* until ${expiry(2)} UTC (spamming links)`);

    const again = await RawClient.connect(server.port);
    again.send('NICK Eve', 'USER e 0 * :Eve');
    await again.next('ERROR :Banned (spamming links)');
    await again.closed;
    expect(server.logs().filter((l) => l['event'] === 'ban')).toMatchObject([
      { by: 'boss', mask: 'eve!*@*', reason: 'spamming links' },
    ]);

    await server.chat.shutdown();
    first.close();
    const second = openChatStore(file);
    onTestFinished(() => second.close());
    const { port } = await startServer({ store: second, opers, clock });
    const third = await RawClient.connect(port);
    third.send('NICK eve', 'USER e 0 * :Eve');
    await third.next('ERROR :Banned (spamming links)');

    const admin = await operator(port);
    admin.send('BANS');
    expect(await admin.collectUntil(/End of bans/)).toEqual([
      `:test.server NOTICE boss :ban eve!*@* by boss until ${expiry(2)} UTC: spamming links`,
      ':test.server NOTICE boss :End of bans: 1 ban(s), 0 mute(s)',
    ]);
    admin.send('UNBAN eve!*@*', 'UNBAN nobody');
    await admin.next(':test.server NOTICE boss :Lifted the ban on eve!*@*');
    await admin.next(':test.server NOTICE boss :No ban on nobody!*@*');
    await RawClient.register(port, 'eve');
  });

  it('matches nick!user@host globs, and a timed ban ends by itself', async () => {
    const clock = fakeClock();
    const { port } = await startServer({ opers: { boss: await hasher.hash('hunter2') }, clock });
    const boss = await operator(port);
    boss.send('BAN *!bad*@127.0.0.* 10m');
    await boss.next(/Banned \*!bad\*@127\.0\.0\.\* until .* \(no reason given\)/);
    const refused = await RawClient.connect(port);
    refused.send('NICK fine', 'USER badguy 0 * :x');
    await refused.next('ERROR :Banned (no reason given)');
    await RawClient.register(port, 'other', 'gooduser');
    clock.advance(10 * 60_000 + 1);
    await RawClient.register(port, 'fine', 'badguy');
  });
});

describe('mutes', () => {
  it('drops a muted user’s messages with a notice to them, keeps them from changing nick, until unmuted', async () => {
    const { port, logs } = await startServer({ opers: { boss: await hasher.hash('hunter2') }, clock: fakeClock() });
    const [loud, listener] = await joinedClients(port, '#lobby', 'loud', 'listener');
    const boss = await operator(port);
    boss.send('MUTE loud 1h', 'MUTE loud soon');
    await boss.next(`:test.server NOTICE boss :Muted loud until ${expiry(1)} UTC`);
    await boss.next(':test.server NOTICE boss :"soon" is not a duration: use 30s, 10m, 2h, 7d, 1w or perm');
    await loud.next(
      /^:test\.server NOTICE loud :You have been muted until .* UTC; your messages will not be delivered$/,
    );
    loud.send('PRIVMSG #lobby :can you hear me', 'PRIVMSG listener :psst', 'NICK quiet');
    await loud.next(':test.server NOTICE loud :You are muted; your message was not delivered');
    await loud.next(':test.server NOTICE loud :You are muted; your message was not delivered');
    await loud.next(':test.server 447 loud :Cannot change nickname while muted');
    await listener.sync();
    expect(listener.unread().filter((l) => l.includes('PRIVMSG'))).toEqual([]);

    boss.send('UNMUTE loud');
    await boss.next(':test.server NOTICE boss :Unmuted loud');
    await loud.next(':test.server NOTICE loud :You are no longer muted');
    loud.send('PRIVMSG #lobby :back');
    await listener.next(':loud!loud@127.0.0.1 PRIVMSG #lobby :back');
    expect(logs().filter((l) => ['mute', 'unmute'].includes(l['event'] as string))).toMatchObject([
      { event: 'mute', by: 'boss', nick: 'loud' },
      { event: 'unmute', by: 'boss', nick: 'loud' },
    ]);
  });

  it('works from plain mode: /oper, /mute, /bans, /ban', async () => {
    const { port } = await startServer({ opers: { boss: await hasher.hash('hunter2') } });
    const [target] = await joinedClients(port, '#lobby', 'target');
    const nc = await RawClient.connect(port);
    nc.socket.write('boss\n/oper boss hunter2\n/mute target perm\n/bans\n');
    await nc.next(/Muted target permanently$/);
    expect(await nc.next(/mute target/)).toMatch(/-test\.server- mute target by boss permanently$/);
    nc.socket.write('/ban target 1d flooding the room\n');
    await target.next('ERROR :Closing Link: 127.0.0.1 (Banned (flooding the room))');
    await nc.next(/Banned target!\*@\* until .* UTC \(flooding the room\)$/);
  });
});

/** How describeExpiry prints `now + hours`. */
function expiry(hours: number, now = T0): string {
  return new Date(now + hours * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
