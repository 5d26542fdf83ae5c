import {
  deposit,
  login,
  openAccount,
  openBank,
  register,
  resolveConfig,
  transfer,
  type OpenedBank,
} from '@quartet/bank-cli';

/** Each measured transfer moves this much, so the funded account never runs dry. */
export const AMOUNT = '0.01';

/** An open bank, its first customer (logged in), her funded account and the second customer's account. */
export interface BenchBank extends OpenedBank {
  alice: Awaited<ReturnType<typeof login>>;
  from: string;
  to: string;
}

/**
 * A new bank with two customers and a funded account for the first: a SQLite file (`{ db }`) or a PostgreSQL
 * database (`{ databaseUrl }`). bcrypt cost 4: registering and logging in are not what is measured.
 */
export async function newBank(where: { db: string } | { databaseUrl: string }): Promise<BenchBank> {
  const opened = openBank(resolveConfig(where, { BANK_BCRYPT_COST: '4' }));
  const { bank } = opened;
  await register(bank, 'alice', 'first long passphrase');
  await register(bank, 'bobby', 'second long passphrase');
  const alice = await login(bank, 'alice', 'first long passphrase');
  const bob = await login(bank, 'bobby', 'second long passphrase');
  const from = openAccount(bank, alice, 'checking').number ?? '';
  const to = openAccount(bank, bob, 'checking').number ?? '';
  deposit(bank, alice, from, '1000000.00');
  return { ...opened, alice, from, to };
}

/** Seconds `count` transfers from the first customer to the second take through bank's service layer. */
export function timeTransfers(opened: BenchBank, count: number): number {
  const { bank, alice, from, to } = opened;
  return timeLoop(count, () => void transfer(bank, alice, from, to, AMOUNT));
}

/** Seconds `count` calls of `run` take, one after the other. */
export function timeLoop(count: number, run: () => void): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The same for an asynchronous `run`, each call awaited before the next. */
export async function timeLoopAsync(count: number, run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) await run();
  return Number(process.hrtime.bigint() - started) / 1e9;
}
