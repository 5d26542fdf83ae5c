import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repeat, timed } from '../lib/process.js';
import type { SuiteResult } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';

/**
 * bank: ledger transfers per second through the service layer beside the
 * storage ceiling (raw better-sqlite3, same pragmas), and cold start of the
 * bin beside `node -e 0`.
 */
export async function bankSuite(ctx: SuiteContext): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bench-bank-'));
  const cli = join(ctx.root, 'packages/bank-cli/dist/cli.js');
  try {
    const count = ctx.quick ? 2000 : 20_000;
    ctx.log(`  ${count} transfers, service layer then raw, 3 rounds`);
    const rounds = await repeat(3, () => {
      const out = execFileSync(
        process.execPath,
        [join(ctx.root, 'bench/dist/bank/ledger-child.js'), dir, String(count)],
        {
          encoding: 'utf8',
        },
      );
      return Promise.resolve(JSON.parse(out) as { serviceSeconds: number; rawSeconds: number });
    });
    const servicePerSec = count / median(rounds.map((r) => r.serviceSeconds));
    const rawPerSec = count / median(rounds.map((r) => r.rawSeconds));

    ctx.log('  cold start');
    const env = { ...process.env, BANK_DB: join(dir, 'cold.db'), BANK_BCRYPT_COST: '4', LOG_LEVEL: 'silent' };
    execFileSync(process.execPath, [cli, 'register', 'carol', '--password-stdin'], {
      env,
      input: 'third long passphrase\n',
    });
    execFileSync(process.execPath, [cli, 'accounts', 'open', 'savings'], {
      env: { ...env, BANK_USER: 'carol', BANK_PASSWORD: 'third long passphrase' },
    });
    const runs = ctx.quick ? 5 : 15;
    const time = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
      const results = await repeat(runs, () => timed(process.execPath, args, { env: { ...env, ...extra } }));
      const failed = results.find((r) => r.exitCode !== 0);
      if (failed) throw new Error(`${args.join(' ')} failed: ${failed.stderr.trim()}`);
      return median(results.map((r) => r.wallMs));
    };
    const nodeMs = await time(['-e', '0']);
    const versionMs = await time([cli, '--version']);
    const accountsMs = await time([cli, 'accounts', '--json'], {
      BANK_USER: 'carol',
      BANK_PASSWORD: 'third long passphrase',
    });

    return {
      tool: 'bank',
      tables: [
        {
          title: `bank ledger: ${count} transfers, WAL + synchronous=FULL, median of 3 rounds`,
          columns: ['path', 'transfers/s', 'share of ceiling'],
          rows: [
            [
              'bank service layer (transfer())',
              Math.round(servicePerSec),
              `${Math.round((100 * servicePerSec) / rawPerSec)}%`,
            ],
            ['raw better-sqlite3, 3 statements', Math.round(rawPerSec), '100%'],
          ],
        },
        {
          title: `bank cold start, median of ${runs} runs`,
          columns: ['command', 'wall ms', 'vs node -e 0'],
          rows: [
            ['node -e 0', nodeMs, '1.00×'],
            ['bank --version', versionMs, ratio(versionMs, nodeMs)],
            ['bank accounts --json', accountsMs, ratio(accountsMs, nodeMs)],
          ],
          notes: [
            'accounts --json logs in (bcrypt cost 4 here; at the default cost 12 verification alone takes ~200 ms).',
          ],
        },
      ],
      data: { count, rounds, servicePerSec, rawPerSec, nodeMs, versionMs, accountsMs },
      targets: [
        {
          what: 'transfers vs raw better-sqlite3',
          value: `${Math.round((100 * servicePerSec) / rawPerSec)}%`,
          target: '≥ 80%',
          met: servicePerSec >= 0.8 * rawPerSec,
        },
        {
          what: 'bank --version vs node -e 0',
          value: ratio(versionMs, nodeMs),
          target: '≤ 2×',
          met: versionMs <= 2 * nodeMs,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
