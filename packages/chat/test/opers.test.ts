import { describe, expect, it } from 'vitest';
import type { PasswordHasher } from '@quartet/core/password';
import { createOperList, MAX_OPER_FAILURES, OPER_FAILURE_WINDOW_MS } from '../src/server/opers.js';
import { hasher, RawClient, startServer } from './helpers.js';

/** The real hasher, counting how many comparisons it was asked for. */
function countingHasher(): PasswordHasher & { calls: number } {
  const counted = {
    calls: 0,
    cost: hasher.cost,
    hash: (password: string) => hasher.hash(password),
    verify: (password: string, hash: string) => {
      counted.calls += 1;
      return hasher.verify(password, hash);
    },
    verifyDummy: (password: string) => {
      counted.calls += 1;
      return hasher.verifyDummy(password);
    },
  };
  return counted;
}

describe('OPER guessing limit (per client address)', () => {
  it('judges at most 5 of 12 parallel wrong guesses; the rest fail without bcrypt, the right password too', async () => {
    const counting = countingHasher();
    let now = 1_000_000;
    const opers = createOperList(new Map([['root', await hasher.hash('correct horse')]]), counting, () => now);
    const results = await Promise.all(Array.from({ length: 12 }, () => opers.verify('root', 'wrong', '10.0.0.1')));
    expect(results).toEqual(Array(12).fill(false));
    expect(counting.calls).toBe(MAX_OPER_FAILURES);
    expect(await opers.verify('root', 'correct horse', '10.0.0.1')).toBe(false);
    expect(counting.calls).toBe(5);
    // Another address is judged as usual.
    expect(await opers.verify('root', 'correct horse', '10.0.0.2')).toBe(true);
    // The oldest failures age out after the window.
    now += OPER_FAILURE_WINDOW_MS;
    expect(await opers.verify('root', 'correct horse', '10.0.0.1')).toBe(true);
  });

  it('does not count a success, nor an unknown name differently from a wrong password', async () => {
    const counting = countingHasher();
    const opers = createOperList(new Map([['root', await hasher.hash('correct horse')]]), counting, () => 0);
    for (let i = 0; i < 4; i += 1) expect(await opers.verify(i % 2 ? 'nobody' : 'root', 'wrong', 'a')).toBe(false);
    expect(await opers.verify('root', 'correct horse', 'a')).toBe(true);
    expect(await opers.verify('root', 'wrong', 'a')).toBe(false);
    expect(await opers.verify('root', 'correct horse', 'a')).toBe(false);
    expect(counting.calls).toBe(6);
  });

  it('over real sockets: six connections guessing at once, then the right password is refused with 464', async () => {
    const { port } = await startServer({ opers: { root: await hasher.hash('correct horse') } });
    const guessers = await Promise.all(Array.from({ length: 6 }, (_, i) => RawClient.register(port, `g${i}`)));
    for (const g of guessers) g.send('OPER root wrong');
    for (const [i, g] of guessers.entries()) await g.next(`:test.server 464 g${i} :Password incorrect`);
    const admin = await RawClient.register(port, 'admin');
    admin.send('OPER root :correct horse');
    await admin.next(':test.server 464 admin :Password incorrect');
  });
});
