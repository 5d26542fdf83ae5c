import { describe, expect, it } from 'vitest';
import { accountServer, manualClock, saslClient, seedAccount } from './account-server.js';
import { exchange, joinAll, received } from './exchange.js';
import { RawClient } from './helpers.js';

const WARNING =
  ':NickServ!NickServ@services. NOTICE owner :This nickname is registered. Please identify with /msg NickServ ' +
  'IDENTIFY <password> within 30 seconds, or you will be renamed.';

describe('nick ownership without --require-account-for-nick', () => {
  it('warns on an owned nick and renames to a guest nick 30 s later', async () => {
    const clock = manualClock();
    const { port, store } = await accountServer({ clock });
    await seedAccount(store, 'owner', 'owners-password');
    const squatter = await RawClient.register(port, 'owner');
    expect(squatter.lines.at(-1)).toBe(WARNING);
    const watcher = await RawClient.register(port, 'watcher');
    await joinAll('#t', [squatter, watcher]);
    clock.advance(29_999);
    expect(await received(squatter)).toEqual([]);
    clock.advance(1);
    const [rename] = await received(squatter);
    expect(rename).toMatch(/^:owner!owner@127\.0\.0\.1 NICK Guest\d{5}$/);
    expect(await received(watcher)).toEqual([rename]);
  });

  it('leaves alone someone who identifies in time, or moves to another nick', async () => {
    const clock = manualClock();
    const { port, store } = await accountServer({ clock });
    await seedAccount(store, 'owner', 'owners-password');
    const owner = await RawClient.register(port, 'owner');
    expect(owner.lines.at(-1)).toBe(WARNING);
    await exchange(owner, 'NS IDENTIFY owners-password');
    clock.advance(30_000);
    expect(await received(owner)).toEqual([]);

    const mover = await RawClient.register(port, 'mover');
    expect(await exchange(mover, 'NICK owner', 'NICK owner')).toEqual([
      ':test.server 433 mover owner :Nickname is already in use',
      ':test.server 433 mover owner :Nickname is already in use',
    ]);
    owner.send('QUIT');
    await owner.closed;
    const [nick, warning] = await exchange(mover, 'NICK owner');
    expect([nick, warning]).toEqual([':mover!mover@127.0.0.1 NICK owner', WARNING]);
    await exchange(mover, 'NICK mover');
    clock.advance(30_000);
    expect(await received(mover)).toEqual([]);
  });

  it('does not warn an owner who logged in with SASL', async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'owner', 'owners-password');
    const owner = await saslClient(port, 'owner', 'owners-password');
    expect(owner.lines.filter((line) => line.includes('NickServ'))).toEqual([]);
  });
});

describe('--require-account-for-nick', () => {
  it('refuses an owned nick to everyone but its owner, at registration and after', async () => {
    const { port, store } = await accountServer({ accounts: { requireForNick: true } });
    await seedAccount(store, 'owner', 'owners-password');
    const other = await RawClient.connect(port);
    expect(await exchange(other, 'NICK owner', 'USER x 0 * :X')).toEqual([
      ':test.server 433 * owner :Nickname is reserved by a different account',
    ]);
    other.send('NICK other');
    await other.next(/ 001 /);
    expect(await exchange(other, 'NICK OWNER')).toEqual([
      ':test.server 433 other OWNER :Nickname is reserved by a different account',
    ]);
    // The owner gets it, logging in with SASL after NICK as irssi does.
    const owner = await saslClient(port, 'owner', 'owners-password');
    expect(owner.lines.some((line) => line.startsWith(':test.server 001 owner '))).toBe(true);
  });
});

describe('nick ownership in plain mode (nc)', () => {
  const stamp = (line: string) => line.replace(/^\[\d\d:\d\d\] /, '');

  it('warns and renames as for IRC clients, and refuses NickServ and, with the flag, an owned nick', async () => {
    const clock = manualClock();
    const { port, store } = await accountServer({ clock });
    await seedAccount(store, 'owner', 'owners-password');
    const person = await RawClient.connect(port);
    person.socket.write('NickServ\n');
    expect(await person.next(/^!/)).toBe('! The nickname NickServ is reserved. Try another:');
    person.socket.write('owner\n');
    expect(stamp(await person.next(/NickServ/))).toBe(
      '-NickServ- This nickname is registered. Please identify with /msg NickServ IDENTIFY <password> within 30 ' +
        'seconds, or you will be renamed.',
    );
    await person.next(/Users on #lobby/);
    clock.advance(30_000);
    expect(stamp(await person.next(/is now known as/))).toMatch(/^\* owner is now known as Guest\d{5}$/);

    const strict = await accountServer({ accounts: { requireForNick: true } });
    await seedAccount(strict.store, 'owner', 'owners-password');
    const other = await RawClient.connect(strict.port);
    other.socket.write('owner\n');
    expect(await other.next(/^!/)).toBe('! The nickname owner is reserved. Try another:');
  });
});
