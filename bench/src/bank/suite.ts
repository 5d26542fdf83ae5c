import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repeat } from '../lib/process.js';
import type { SuiteResult } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';
import { pgLedger } from './pg-ledger.js';
import { share } from './share.js';

/**
 * bank: ledger transfers per second through the service layer beside two
 * storage ceilings (raw better-sqlite3, same pragmas: the same writes on
 * bank's own schema, and three statements on two bare tables); then, when
 * DATABASE_URL is set, the same on PostgreSQL beside raw drivers sending the
 * statements bank sends. Cold start is in the cold-start suite.
 */
export async function bankSuite(ctx: SuiteContext): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bench-bank-'));
  try {
    const count = ctx.quick ? 2000 : 20_000;
    ctx.log(`  ${count} transfers, service layer then the two raw ceilings, 3 rounds`);
    const rounds = await repeat(3, () => {
      const out = execFileSync(
        process.execPath,
        [join(ctx.root, 'bench/dist/bank/ledger-child.js'), dir, String(count)],
        {
          encoding: 'utf8',
        },
      );
      return Promise.resolve(JSON.parse(out) as { serviceSeconds: number; schemaSeconds: number; rawSeconds: number });
    });
    const servicePerSec = count / median(rounds.map((r) => r.serviceSeconds));
    const schemaPerSec = count / median(rounds.map((r) => r.schemaSeconds));
    const rawPerSec = count / median(rounds.map((r) => r.rawSeconds));
    const pg = await pgLedger(ctx);

    return {
      tool: 'bank',
      tables: [
        {
          title: `bank ledger: ${count} transfers, WAL + synchronous=FULL, median of 3 rounds`,
          columns: ['path', 'transfers/s', 'share of schema ceiling', 'share of minimal ceiling'],
          rows: [
            [
              'bank service layer (transfer())',
              Math.round(servicePerSec),
              share(servicePerSec, schemaPerSec),
              share(servicePerSec, rawPerSec),
            ],
            [
              "raw, a transfer's 6 writes on bank's schema",
              Math.round(schemaPerSec),
              '100%',
              share(schemaPerSec, rawPerSec),
            ],
            ['raw, 3 statements on 2 bare tables', Math.round(rawPerSec), '', '100%'],
          ],
          notes: [
            "schema ceiling: debit with a balance check and credit (UPDATE ... RETURNING balance), one transactions row, two postings and the receiver's notification, on a database bank created (its indexes and triggers): the storage cost of bank's ledger with no reads and no JavaScript.",
            'minimal ceiling: three statements on two tables with no secondary index; it writes 2 WAL frames per commit where the ledger writes 7.',
            ...(pg.note === undefined ? [] : [pg.note]),
          ],
        },
        ...(pg.table === undefined ? [] : [pg.table]),
      ],
      data: { count, rounds, servicePerSec, schemaPerSec, rawPerSec, pg: pg.data },
      targets: [
        {
          what: 'transfers vs raw better-sqlite3, same writes on the same schema',
          value: share(servicePerSec, schemaPerSec),
          target: '≥ 80%',
          met: servicePerSec >= 0.8 * schemaPerSec,
        },
        {
          what: 'transfers vs raw better-sqlite3, minimal 3 statements (for reference)',
          value: share(servicePerSec, rawPerSec),
          target: '≥ 80%',
          met: servicePerSec >= 0.8 * rawPerSec,
        },
        pg.target,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
