import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPeer } from '../lib/peers.js';
import type { SuiteResult } from '../lib/report.js';
import { ratio } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';

interface Case {
  name: string;
  args: string[];
  /** Most it may cost, as a multiple of `node -e 0`. */
  limit: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Cold start of every bin beside a bare `node -e 0`, with hyperfine, all in one run so that the ratios compare
 * like with like. Each command runs with its stdout discarded, no shell (-N), after warm-up runs.
 */
export function coldStartSuite(ctx: SuiteContext): Promise<SuiteResult> {
  return Promise.resolve(measure(ctx));
}

function measure(ctx: SuiteContext): SuiteResult {
  const hyperfine = findPeer('hyperfine', 'hyperfine');
  if (!('path' in hyperfine)) {
    ctx.log(`  ${hyperfine.skipped}`);
    return {
      tool: 'cold-start',
      tables: [],
      data: {},
      targets: [{ what: 'cold start', value: hyperfine.skipped, target: '', met: 'skipped' }],
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bench-cold-'));
  try {
    const bin = (path: string) => join(ctx.root, 'packages', path);
    const node = process.execPath;
    // bank: a user with three accounts, logged in through the environment (bcrypt cost 4: the hash check is
    // part of the start, but at cost 12 it would be ~200 ms of bcrypt whatever the code around it does).
    const bankEnv = { BANK_DB: join(dir, 'bank.db'), BANK_BCRYPT_COST: '4', LOG_LEVEL: 'silent' };
    const bank = (args: string[], extra: NodeJS.ProcessEnv = {}, input?: string) =>
      execFileSync(node, [bin('bank-cli/bin/bank.js'), ...args], {
        env: { ...process.env, ...bankEnv, ...extra },
        ...(input === undefined ? {} : { input }),
      });
    const login = { BANK_USER: 'carol', BANK_PASSWORD: 'third long passphrase' };
    bank(['register', 'carol', '--password-stdin'], {}, `${login.BANK_PASSWORD}\n`);
    for (const kind of ['checking', 'savings', 'savings']) bank(['accounts', 'open', kind], login);
    // filecrypt: 1 KiB to an X25519 recipient file.
    const filecrypt = bin('filecrypt/bin/filecrypt.js');
    const recipient = execFileSync(node, [filecrypt, 'keygen', '-o', join(dir, 'key')], { encoding: 'utf8' });
    writeFileSync(join(dir, 'recipients'), recipient.match(/fcpub1\S+/)?.[0] ?? recipient);
    writeFileSync(join(dir, 'small'), Buffer.alloc(1024, 7));

    const cases: Case[] = [
      { name: 'node -e 0', args: ['-e', '0'], limit: 1 },
      { name: 'bank --version', args: [bin('bank-cli/bin/bank.js'), '--version'], limit: 2 },
      {
        name: 'bank accounts --json (logged in, 3 accounts)',
        args: [bin('bank-cli/bin/bank.js'), 'accounts', '--json'],
        limit: 2.5,
        env: { ...bankEnv, ...login },
      },
      { name: 'filecrypt --help', args: [filecrypt, '--help'], limit: 2 },
      {
        name: 'filecrypt enc 1 KiB -R recipients',
        args: [filecrypt, 'enc', '--quiet', '-R', join(dir, 'recipients'), join(dir, 'small')],
        limit: 2,
      },
      { name: 'chat-client --help', args: [bin('chat/dist/client-cli.js'), '--help'], limit: 2 },
      { name: 'shop-api --help', args: [bin('shop-api/dist/cli.js'), '--help'], limit: 2 },
    ];
    const runs = ctx.quick ? 5 : 30;
    ctx.log(`  hyperfine: ${cases.length} commands, ${runs} runs each after 5 warm-ups`);
    const report = join(dir, 'hyperfine.json');
    // hyperfine takes environment per run only from its own; every case's extra variables are set for all.
    const env = { ...process.env, ...Object.assign({}, ...cases.map((c) => c.env ?? {})) } as NodeJS.ProcessEnv;
    execFileSync(
      hyperfine.path,
      [
        '-N',
        '--warmup',
        '5',
        '--runs',
        String(runs),
        '--export-json',
        report,
        ...cases.flatMap((c) => ['-n', c.name, [node, ...c.args].map(quote).join(' ')]),
      ],
      { env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const results = (JSON.parse(readFileSync(report, 'utf8')) as { results: { mean: number; median: number }[] })
      .results;
    const ms = results.map((r) => r.median * 1000);
    const nodeMs = ms[0] ?? Number.NaN;
    return {
      tool: 'cold-start',
      tables: [
        {
          title: `cold start, median of ${runs} runs (hyperfine -N), beside node -e 0`,
          columns: ['command', 'wall ms', 'vs node -e 0', 'goal'],
          rows: cases.map((c, i) => [
            c.name,
            Math.round(ms[i] ?? Number.NaN),
            ratio(ms[i] ?? Number.NaN, nodeMs),
            i === 0 ? '' : `≤ ${c.limit}×`,
          ]),
          notes: [
            'bank logs in with BANK_USER/BANK_PASSWORD at bcrypt cost 4; filecrypt encrypts to stdout (discarded).',
          ],
        },
      ],
      data: { cases: cases.map((c, i) => ({ name: c.name, medianMs: ms[i] })), nodeMs },
      targets: cases.slice(1).map((c, i) => ({
        what: `${c.name} vs node -e 0`,
        value: ratio(ms[i + 1] ?? Number.NaN, nodeMs),
        target: `≤ ${c.limit}×`,
        met: (ms[i + 1] ?? Number.POSITIVE_INFINITY) <= c.limit * nodeMs,
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** hyperfine -N splits its command on white space, honouring quotes. */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
