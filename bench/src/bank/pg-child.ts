import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transfer } from '@quartet/bank-cli';
import { AMOUNT, newBank, timeLoop, timeLoopAsync, timeTransfers, type BenchBank } from './bank-setup.js';
import { loadPgNative } from './pg-native-client.js';
import { installStatementCapture, type SentStatement } from './statement-capture.js';
import pg from 'pg';

/**
 * Run in a child process: `node pg-child.js <database url> <count> <round>`, on a fresh, empty database. First bank
 * opens the database (migrates it), registers two customers, and one transfer is recorded statement by statement
 * (pg-native's client wrapped, BEGIN to COMMIT). Then, timed, each `count` times, in an order that rotates with
 * `round` (each path's tables grow by the ones before it, and the server checkpoints when it will):
 * - `service`: transfers through bank's service layer;
 * - `rawPg`: the recorded statements replayed through node-postgres, one client, prepared statements by name as bank
 *   prepares them;
 * - `rawLibpq`: the same replay through pg-native, synchronously: bank's own driver with nothing above it.
 * Last, `sqlite`: `count` service-layer transfers on a SQLite bank in a temp dir, for scale. Prints one JSON line.
 */
const [url = '', countArg = '5000', roundArg = '0'] = process.argv.slice(2);
const count = Number(countArg);
const NativeClient = loadPgNative();

/** A bank on the database and one of its transfers as sent; the capture is gone before anything is timed. */
async function openAndRecord(): Promise<{ opened: BenchBank; statements: SentStatement[] }> {
  const capture = installStatementCapture(NativeClient);
  try {
    const opened = await newBank({ databaseUrl: url });
    const { statements } = capture.record(() => transfer(opened.bank, opened.alice, opened.from, opened.to, AMOUNT));
    return { opened, statements };
  } finally {
    capture.uninstall();
  }
}

/** SQLSTATEs bank's session answers by running the transaction again (a serialization failure, a deadlock). */
const RETRYABLE = new Set(['40001', '40P01']);
/** bank's own limit: a transfer refused this many times in a row is an error. */
const ATTEMPTS = 50;

/** Seconds and retries of a replay loop. */
interface Replayed {
  seconds: number;
  retries: number;
}

/**
 * Even one session alone can be refused with 40001 when the server is busy with other serializable work (its
 * conflict tracking turns conservative); bank then rolls back and runs the transfer again, so the replays do too.
 */
async function rawPgReplay(statements: readonly SentStatement[]): Promise<Replayed> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let retries = 0;
  const replay = async () => {
    for (const { name, text, values } of statements) {
      await (name === undefined ? client.query(text, values) : client.query({ name, text, values }));
    }
  };
  try {
    const seconds = await timeLoopAsync(count, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await replay();
        } catch (error) {
          await client.query('ROLLBACK');
          if (attempt >= ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
          retries += 1;
        }
      }
    });
    return { seconds, retries };
  } finally {
    await client.end();
  }
}

function rawLibpqReplay(statements: readonly SentStatement[]): Replayed {
  const client = new NativeClient();
  client.connectSync(url);
  const prepared = new Set<string>();
  let retries = 0;
  const replay = () => {
    for (const { name, text, values } of statements) {
      if (name === undefined) {
        client.querySync(text, values.length > 0 ? values : undefined);
        continue;
      }
      if (!prepared.has(name)) {
        client.prepareSync(name, text, values.length);
        prepared.add(name);
      }
      client.executeSync(name, values);
    }
  };
  try {
    const seconds = timeLoop(count, () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return replay();
        } catch (error) {
          const code = client.pq.resultErrorFields()?.['sqlState'] ?? '';
          client.querySync('ROLLBACK');
          if (attempt >= ATTEMPTS || !RETRYABLE.has(code)) throw error;
          retries += 1;
        }
      }
    });
    return { seconds, retries };
  } finally {
    client.end();
  }
}

async function sqlite(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bench-bank-'));
  const opened = await newBank({ db: join(dir, 'bank.db') });
  try {
    return timeTransfers(opened, count);
  } finally {
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const { opened, statements } = await openAndRecord();
const paths = {
  service: (): Promise<Replayed> => Promise.resolve({ seconds: timeTransfers(opened, count), retries: 0 }),
  rawPg: () => rawPgReplay(statements),
  rawLibpq: () => Promise.resolve(rawLibpqReplay(statements)),
};
const names = Object.keys(paths) as (keyof typeof paths)[];
const first = Number(roundArg) % names.length;
const order = [...names.slice(first), ...names.slice(0, first)];
const results: Partial<Record<keyof typeof paths, Replayed>> = {};
try {
  for (const name of order) results[name] = await paths[name]();
} finally {
  opened.close();
}
const sqliteSeconds = await sqlite();
process.stdout.write(
  JSON.stringify({
    count,
    order,
    serviceSeconds: results.service?.seconds,
    rawPgSeconds: results.rawPg?.seconds,
    rawPgRetries: results.rawPg?.retries,
    rawLibpqSeconds: results.rawLibpq?.seconds,
    rawLibpqRetries: results.rawLibpq?.retries,
    sqliteSeconds,
    statements,
  }) + '\n',
);
