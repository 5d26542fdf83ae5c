import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transfer } from '@quartet/bank-cli';
import { AMOUNT, newBank, timeLoop, timeLoopAsync, timeTransfers } from './bank-setup.js';
import { loadPgNative } from './pg-native-client.js';
import { newPgClient } from './pg-package.js';
import { installStatementCapture, type SentStatement } from './statement-capture.js';

/**
 * Run in a child process: `node pg-child.js <database url> <count>`, on a fresh, empty database. In this order:
 * - `service`: bank opens the database (migrates it), registers two customers, and one transfer is recorded
 *   statement by statement (pg-native's client wrapped, BEGIN to COMMIT); then `count` transfers through bank's
 *   service layer, timed;
 * - `rawPg`: the recorded statements replayed `count` times through node-postgres, one client, prepared statements
 *   by name as bank prepares them;
 * - `rawLibpq`: the same replay through pg-native, synchronously: bank's own driver with nothing above it;
 * - `sqlite`: `count` service-layer transfers on a SQLite bank in a temp dir, for scale.
 * Prints one JSON line.
 */
const [url = '', countArg = '5000'] = process.argv.slice(2);
const count = Number(countArg);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const NativeClient = loadPgNative();

async function service(): Promise<{ seconds: number; statements: SentStatement[] }> {
  const capture = installStatementCapture(NativeClient);
  const opened = await newBank({ databaseUrl: url });
  try {
    const { statements } = capture.record(() => transfer(opened.bank, opened.alice, opened.from, opened.to, AMOUNT));
    // The timed transfers run on pg-native's own methods.
    capture.uninstall();
    return { seconds: timeTransfers(opened, count), statements };
  } finally {
    opened.close();
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
  const client = newPgClient(root, url);
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

const { seconds: serviceSeconds, statements } = await service();
const rawPg = await rawPgReplay(statements);
const rawLibpq = rawLibpqReplay(statements);
const sqliteSeconds = await sqlite();
process.stdout.write(
  JSON.stringify({
    count,
    serviceSeconds,
    rawPgSeconds: rawPg.seconds,
    rawPgRetries: rawPg.retries,
    rawLibpqSeconds: rawLibpq.seconds,
    rawLibpqRetries: rawLibpq.retries,
    sqliteSeconds,
    statements,
  }) + '\n',
);
