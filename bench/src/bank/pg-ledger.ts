import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repeat } from '../lib/process.js';
import type { SuiteResult, Table } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';
import { share } from './share.js';
import type { SentStatement } from './statement-capture.js';
import pg from 'pg';

interface Round {
  serviceSeconds: number;
  rawPgSeconds: number;
  rawPgRetries: number;
  rawLibpqSeconds: number;
  rawLibpqRetries: number;
  sqliteSeconds: number;
  statements: SentStatement[];
}

/** The PostgreSQL ledger table, or why there is none, for the bank suite. */
export interface PgLedger {
  table?: Table;
  /** Set instead of `table`: one line saying why the PostgreSQL rows are missing. */
  note?: string;
  target: SuiteResult['targets'][number];
  data: Record<string, unknown>;
}

const TARGET = 'transfers on PostgreSQL vs raw pg (node-postgres), the same statements';

/**
 * Transfers per second through bank's service layer on PostgreSQL (`DATABASE_URL` names a server and a database
 * to connect to for CREATE DATABASE), beside the same statements replayed through node-postgres and through
 * pg-native. Each round runs in a database of its own, created for it and dropped after.
 */
export async function pgLedger(ctx: SuiteContext): Promise<PgLedger> {
  const baseUrl = process.env['DATABASE_URL'];
  if (baseUrl === undefined || baseUrl === '') {
    return {
      note: 'PostgreSQL rows skipped: DATABASE_URL is not set (a postgres:// URL of a server where the bench may create databases).',
      target: { what: TARGET, value: '—', target: '≥ 70%', met: 'skipped' },
      data: {},
    };
  }
  const count = ctx.quick ? 500 : 5000;
  ctx.log(
    `  PostgreSQL: ${count} transfers, service layer, raw pg and raw libpq interleaved (the first rotating), 3 rounds`,
  );
  try {
    return summarize(count, await measure(ctx, baseUrl, count));
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    return {
      note: `PostgreSQL rows failed: ${message}`,
      target: { what: TARGET, value: 'failed', target: '≥ 70%', met: false },
      data: { error: message },
    };
  }
}

async function measure(ctx: SuiteContext, baseUrl: string, count: number): Promise<Round[]> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    return await repeat(3, async (n) => {
      const name = `bank_bench_${process.pid}_${n}`;
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        return JSON.parse(runChild(ctx, url.toString(), count, n)) as Round;
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    });
  } finally {
    await admin.end();
  }
}

/** The child's JSON line; when it fails, an Error carrying the child's own error message. */
function runChild(ctx: SuiteContext, url: string, count: number, round: number): string {
  try {
    return execFileSync(
      process.execPath,
      [join(ctx.root, 'bench/dist/bank/pg-child.js'), url, String(count), String(round)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const reason = stderr.split('\n').find((line) => /^\w*(Error|error): /.test(line));
    throw new Error(`the PostgreSQL child failed: ${reason ?? 'no error message'}`, { cause: error });
  }
}

function summarize(count: number, rounds: Round[]): PgLedger {
  const perSec = (seconds: (r: Round) => number) => count / median(rounds.map(seconds));
  const service = perSec((r) => r.serviceSeconds);
  const rawPg = perSec((r) => r.rawPgSeconds);
  const rawLibpq = perSec((r) => r.rawLibpqSeconds);
  const sqlite = perSec((r) => r.sqliteSeconds);
  const statements = rounds[0]?.statements ?? [];
  const retries = rounds.reduce((sum, r) => sum + r.rawPgRetries + r.rawLibpqRetries, 0);
  return {
    table: {
      title: `bank ledger on PostgreSQL: ${count} transfers, SERIALIZABLE, synchronous commit, median of 3 rounds`,
      columns: ['path', 'transfers/s', 'share of raw pg', 'share of raw libpq'],
      rows: [
        ['bank service layer (transfer())', Math.round(service), share(service, rawPg), share(service, rawLibpq)],
        ['raw pg (node-postgres), the same statements', Math.round(rawPg), '100%', share(rawPg, rawLibpq)],
        ['raw libpq (pg-native), the same statements', Math.round(rawLibpq), '', '100%'],
        ['bank on SQLite (for scale)', Math.round(sqlite), '', ''],
      ],
      notes: [
        `the same statements: one transfer through bank, recorded from pg-native's client: ${describe(statements)}. The raw paths replay them with the recorded parameters (prepared by name on first use, as bank does): the balance updates set the same absolute balances each time and the inserts add rows, so the server's work per transfer is the same.`,
        "Each round: a new database; bank's service layer, raw pg and raw libpq on it, the first of them rotating from round to round (the later ones find bigger tables); the SQLite row is bank's service layer on a SQLite file in the temp dir (WAL, synchronous=FULL).",
        `A transfer refused with 40001 or 40P01 is rolled back and run again, by bank and by the replays alike (the replays needed ${retries} such retries in all).`,
      ],
    },
    target: { what: TARGET, value: share(service, rawPg), target: '≥ 70%', met: service >= 0.7 * rawPg },
    data: {
      count,
      rounds: rounds.map(({ statements: _, ...seconds }) => seconds),
      statements,
      servicePerSec: service,
      rawPgPerSec: rawPg,
      rawLibpqPerSec: rawLibpq,
      sqlitePerSec: sqlite,
    },
  };
}

/** "14 statements: BEGIN …, 5 SELECT, …, COMMIT". */
function describe(statements: readonly SentStatement[]): string {
  const kinds = new Map<string, number>();
  for (const { text } of statements) {
    const kind = text.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const parts = [...kinds].map(([kind, n]) => `${n} ${kind}`);
  return `${statements.length} statements (${parts.join(', ')})`;
}
