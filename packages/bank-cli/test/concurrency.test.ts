import { describe, expect, it } from 'vitest';
import { PASSWORD, runBank } from './helpers.js';
import { bankWith, cents, run, WORKER, type WorkerResult } from './many-processes.js';

const WORKERS = 4;
const TRANSFERS_PER_WORKER = 12;
const START_CENTS = 10_000;

/** mulberry32: a seeded generator, so a failing run can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` customers with 100.00 each. */
const customers = (count: number) => bankWith(count, '100.00');

async function balancesOf(env: Record<string, string>) {
  return [...(await cents(env))].map(([number, amount]) => ({ number, cents: amount }));
}

describe('concurrent bank processes on one database file', () => {
  it('conserve money to the cent through random transfers, and the ledger verifies', async () => {
    const seed = Date.now() % 1_000_000;
    console.log(`concurrency seed ${seed}`);
    const { numbers, env } = await customers(WORKERS);
    const expected = new Map(numbers.map((n) => [n, START_CENTS]));
    const outcomes: number[] = [];

    // Each worker is one user running `bank transfer` processes back to back,
    // so WORKERS processes are writing to the file at any moment.
    await Promise.all(
      numbers.map(async (from, i) => {
        const next = random(seed + i);
        for (let k = 0; k < TRANSFERS_PER_WORKER; k += 1) {
          const others = numbers.filter((n) => n !== from);
          const to = others[Math.floor(next() * others.length)]!;
          // Up to 80.00: often more than what is left, so refusals race successes.
          const cents = 1 + Math.floor(next() * 8000);
          const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
          const result = await runBank(['transfer', from, to, amount, '--json'], { env: env(`user${i}`) });
          outcomes.push(result.code);
          if (result.code === 0) {
            const entry = JSON.parse(result.stdout) as { amount: string; balanceAfter: string };
            expect(entry.amount).toBe(amount);
            expect(Number(entry.balanceAfter)).toBeGreaterThanOrEqual(0);
            expected.set(from, expected.get(from)! - cents);
            expected.set(to, expected.get(to)! + cents);
          } else {
            expect(result.code, result.stderr).toBe(1);
            expect(result.stderr).toMatch(/^bank: insufficient funds: \d{10} has \d+\.\d\d USD, needs \d+\.\d\d\n$/);
          }
        }
      }),
    );

    expect(outcomes).toHaveLength(WORKERS * TRANSFERS_PER_WORKER);
    expect(outcomes.filter((c) => c === 0).length).toBeGreaterThan(0);
    const final = await balancesOf(env('root'));
    // Every balance is exactly what the successful transfers say, none negative, total unchanged.
    expect(Object.fromEntries(final.map((a) => [a.number, a.cents]))).toEqual(Object.fromEntries(expected));
    expect(final.every((a) => a.cents >= 0)).toBe(true);
    expect(final.reduce((sum, a) => sum + a.cents, 0)).toBe(WORKERS * START_CENTS);
    expect(await runBank(['admin', 'verify'], { env: env('root') })).toEqual({
      code: 0,
      stdout: 'ledger OK\n',
      stderr: '',
    });
  });

  it('lets exactly one of several simultaneous overdrawing transfers through', async () => {
    const { numbers, env } = await customers(2);
    const [from, to] = numbers as [string, string];
    const results = await Promise.all(
      Array.from({ length: 5 }, () => runBank(['transfer', from, to, '60.00'], { env: env('user0') })),
    );
    expect(results.map((r) => r.code).sort()).toEqual([0, 1, 1, 1, 1]);
    for (const r of results.filter((r) => r.code === 1)) {
      expect(r.stderr).toBe(`bank: insufficient funds: ${from} has 40.00 USD, needs 60.00\n`);
    }
    expect(await balancesOf(env('root'))).toEqual([
      { number: from, cents: 4000 },
      { number: to, cents: 16000 },
    ]);
    expect((await runBank(['admin', 'verify'], { env: env('root') })).stdout).toBe('ledger OK\n');
  });

  it('stays exact under heavy overlap: 4 processes, 150 transfers each, no pause between them', async () => {
    const seed = Date.now() % 1_000_000;
    console.log(`overlap seed ${seed}`);
    const { file, numbers, env, workerEnv } = await customers(WORKERS);
    const results = await Promise.all(
      numbers.map(async (from, i) => {
        const others = numbers.filter((n) => n !== from).join(',');
        const args = [WORKER, file, `user${i}`, PASSWORD, String(seed + i), '150', from, others];
        const { stdout } = await run(process.execPath, args, { env: workerEnv });
        return { from, ...(JSON.parse(stdout) as WorkerResult) };
      }),
    );
    const expected = new Map(numbers.map((n) => [n, START_CENTS]));
    for (const { from, moved } of results) {
      for (const [to, cents] of moved) {
        expected.set(from, expected.get(from)! - cents);
        expected.set(to, expected.get(to)! + cents);
      }
    }
    expect(results.reduce((n, r) => n + r.moved.length + r.refused, 0)).toBe(WORKERS * 150);
    const final = await balancesOf(env('root'));
    expect(Object.fromEntries(final.map((a) => [a.number, a.cents]))).toEqual(Object.fromEntries(expected));
    expect(final.reduce((sum, a) => sum + a.cents, 0)).toBe(WORKERS * START_CENTS);
    expect(await runBank(['admin', 'verify'], { env: env('root') })).toEqual({
      code: 0,
      stdout: 'ledger OK\n',
      stderr: '',
    });
  });
});
