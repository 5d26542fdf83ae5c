import type { PasswordHasher } from '@quartet/core/password';
import { describe, expect, it } from 'vitest';
import { memoryAccounts } from '../src/db/account-store.js';
import { openMemoryStore } from '../src/db/memory-store.js';
import {
  Accounts,
  LOGIN_FAILURE_WINDOW_MS,
  LOGIN_FAILURES_PER_ACCOUNT,
  LOGIN_FAILURES_PER_ADDRESS,
} from '../src/server/accounts.js';
import { accountServer, plain, seedAccount } from './account-server.js';
import { hasher, RawClient } from './helpers.js';

const RIGHT = 'the right horse';

/** Accounts over a memory store holding `alice`, with a clock the test moves and a count of bcrypt comparisons. */
async function accounts() {
  let now = 1_000_000;
  const counted = { comparisons: 0 };
  const counting: PasswordHasher = {
    ...hasher,
    verify: (password, hash) => ((counted.comparisons += 1), hasher.verify(password, hash)),
    verifyDummy: (password) => ((counted.comparisons += 1), hasher.verifyDummy(password)),
  };
  const store = memoryAccounts();
  const service = new Accounts(store, counting, () => now, { requireForNick: false, nickGraceMs: 30_000 });
  store.create({
    name: 'alice',
    nameKey: 'alice',
    passwordHash: await hasher.hash(RIGHT),
    email: null,
    verifyCode: null,
    oper: false,
    createdAt: now,
  });
  const fail = async (count: number, ip: string) => {
    for (let i = 0; i < count; i += 1) expect(await service.authenticate('alice', 'wrong', ip)).toEqual(FAILED);
  };
  return { service, counted, fail, advance: (ms: number) => (now += ms) };
}

const FAILED = { ok: false, throttled: false };
const THROTTLED = { ok: false, throttled: true };

describe('login throttling (ASVS 2.2.1, NIST 800-63B 5.2.2)', () => {
  it(`refuses an address unchecked after ${LOGIN_FAILURES_PER_ADDRESS} failures in 15 minutes, the right password too`, async () => {
    const { service, counted, fail, advance } = await accounts();
    await fail(LOGIN_FAILURES_PER_ADDRESS, '10.0.0.1');
    const comparisons = counted.comparisons;
    expect(await service.authenticate('alice', RIGHT, '10.0.0.1')).toEqual(THROTTLED);
    expect(await service.authenticate('nobody', RIGHT, '10.0.0.1')).toEqual(THROTTLED);
    expect(counted.comparisons).toBe(comparisons);
    // Another address is judged as usual.
    expect((await service.authenticate('alice', RIGHT, '10.0.0.2')).ok).toBe(true);
    advance(LOGIN_FAILURE_WINDOW_MS);
    expect((await service.authenticate('alice', RIGHT, '10.0.0.1')).ok).toBe(true);
  });

  it(`refuses an account unchecked after ${LOGIN_FAILURES_PER_ACCOUNT} failures from any addresses`, async () => {
    const { service, fail, advance } = await accounts();
    for (let n = 0; n < LOGIN_FAILURES_PER_ACCOUNT / LOGIN_FAILURES_PER_ADDRESS; n += 1) {
      await fail(LOGIN_FAILURES_PER_ADDRESS, `10.0.1.${n}`);
    }
    expect(await service.authenticate('alice', RIGHT, '10.0.2.1')).toEqual(THROTTLED);
    expect(await service.authenticate('ALICE', 'wrong', '10.0.2.2')).toEqual(THROTTLED);
    advance(LOGIN_FAILURE_WINDOW_MS);
    expect((await service.authenticate('alice', RIGHT, '10.0.2.9')).ok).toBe(true);
  });

  it('counts failures only: a success is taken back', async () => {
    const { service, fail } = await accounts();
    await fail(LOGIN_FAILURES_PER_ADDRESS - 1, '10.0.0.1');
    expect((await service.authenticate('alice', RIGHT, '10.0.0.1')).ok).toBe(true);
    expect((await service.authenticate('alice', RIGHT, '10.0.0.1')).ok).toBe(true);
    await fail(1, '10.0.0.1');
    expect(await service.authenticate('alice', RIGHT, '10.0.0.1')).toEqual(THROTTLED);
  });

  it('judges at most the limit of parallel guesses from one address: the rest never reach bcrypt', async () => {
    const { service, counted } = await accounts();
    const results = await Promise.all(
      Array.from({ length: 25 }, () => service.authenticate('alice', 'wrong', '10.0.0.1')),
    );
    expect(results.filter((r) => !r.ok && r.throttled)).toHaveLength(25 - LOGIN_FAILURES_PER_ADDRESS);
    expect(counted.comparisons).toBe(LOGIN_FAILURES_PER_ADDRESS);
  });
});

describe('login throttling over sockets', () => {
  it('survives reconnecting: SASL and IDENTIFY say why, and the connection still closes at its third failure', async () => {
    const store = openMemoryStore(50);
    await seedAccount(store, 'alice', RIGHT);
    const { port } = await accountServer({ store });
    const failures = Array.from({ length: LOGIN_FAILURES_PER_ADDRESS }, () => 'NS IDENTIFY alice wrong');
    for (let i = 0; i < failures.length; i += 3) {
      const guesser = await RawClient.register(port, `guess${i}`);
      guesser.send(...failures.slice(i, i + 3));
      if (i + 3 <= failures.length) await guesser.closed;
      else await guesser.next(/Invalid account or password/);
    }
    const sasl = await RawClient.connect(port);
    sasl.send('CAP REQ :sasl', 'NICK late', 'USER late 0 * :Late', 'AUTHENTICATE PLAIN');
    await sasl.next('AUTHENTICATE +');
    sasl.send(`AUTHENTICATE ${plain('alice', RIGHT)}`);
    expect(await sasl.next(/ 904 /)).toBe(
      ':test.server 904 late :SASL authentication failed: too many failed logins, try again later',
    );
    sasl.send('CAP END');
    await sasl.next(/ (376|422) /);
    sasl.send(`NS IDENTIFY alice ${RIGHT}`);
    expect(await sasl.next(/NickServ/)).toBe(
      ':NickServ!NickServ@services. NOTICE late :Too many failed logins; try again later.',
    );
  });
});
