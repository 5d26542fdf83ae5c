import { execFileSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPeer } from '../lib/peers.js';
import { timed, type Timed } from '../lib/process.js';
import type { SuiteResult } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';

interface Contender {
  name: string;
  enc: (input: string, output: string) => [string, string[]];
  dec: (input: string, output: string) => [string, string[]];
}

/** Seconds for the input's size, each part alone on one thread (floor-child.ts). */
interface Floor {
  size: number;
  copySeconds: number;
  shaSeconds: number;
  aesSeconds: number;
  chachaSeconds: number;
}

interface Figures {
  name: string;
  encSeconds: number;
  decSeconds: number;
  encMBps: number;
  decMBps: number;
  encRssMiB: number;
  decRssMiB: number;
}

const RUNS = 5;

/**
 * filecrypt enc/dec beside the age binary on one 256 MiB random file on
 * tmpfs, in filecrypt's native format (X25519 recipient) and in the age
 * format (an age1 recipient, an age identity file), all in one run. The
 * runs are interleaved (run 1 of every contender, then run 2, ...) so that
 * a noisy neighbour slows every contender alike; medians of 5. Ratios are
 * age's wall time over ours, whole processes (Node's start included).
 */
export async function filecryptSuite(ctx: SuiteContext): Promise<SuiteResult> {
  const size = ctx.quick ? 64 * 2 ** 20 : 256 * 2 ** 20;
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'quartet-bench-filecrypt-'));
  try {
    const input = join(dir, 'input.bin');
    const inputHash = writeRandom(input, size);
    const floors: Floor[] = [];
    ctx.log(`machine ceiling: copy, SHA-256, AES-256-GCM and ChaCha20-Poly1305 alone, ${RUNS} runs`);
    for (let i = 0; i < RUNS; i += 1) {
      const out = execFileSync(
        process.execPath,
        [join(ctx.root, 'bench/dist/filecrypt/floor-child.js'), input, join(dir, 'floor.out')],
        { encoding: 'utf8' },
      );
      floors.push(JSON.parse(out) as Floor);
    }
    const floor: Floor = {
      size,
      copySeconds: median(floors.map((f) => f.copySeconds)),
      shaSeconds: median(floors.map((f) => f.shaSeconds)),
      aesSeconds: median(floors.map((f) => f.aesSeconds)),
      chachaSeconds: median(floors.map((f) => f.chachaSeconds)),
    };
    const { contenders, skipped, startup } = setUp(ctx.root, dir);
    const runs = new Map<string, { enc: Timed[]; dec: Timed[] }>(contenders.map((c) => [c.name, { enc: [], dec: [] }]));
    const startups: Timed[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      ctx.log(`run ${i + 1} of ${RUNS}: ${contenders.map((c) => c.name).join(', ')}`);
      startups.push(await run('startup', 'start', ...startup));
      for (const c of contenders) {
        const encrypted = join(dir, 'out.enc');
        const decrypted = join(dir, 'out.dec');
        rmSync(encrypted, { force: true });
        rmSync(decrypted, { force: true });
        runs.get(c.name)!.enc.push(await run(c.name, 'enc', ...c.enc(input, encrypted)));
        runs.get(c.name)!.dec.push(await run(c.name, 'dec', ...c.dec(encrypted, decrypted)));
        if (i === 0 && (await hashFile(decrypted)) !== inputHash) {
          throw new Error(`${c.name}: decrypted output differs from the input`);
        }
      }
    }
    const figures: Figures[] = contenders.map((c) => {
      const { enc, dec } = runs.get(c.name)!;
      const encSeconds = median(enc.map((r) => r.wallMs)) / 1000;
      const decSeconds = median(dec.map((r) => r.wallMs)) / 1000;
      return {
        name: c.name,
        encSeconds,
        decSeconds,
        encMBps: size / 1e6 / encSeconds,
        decMBps: size / 1e6 / decSeconds,
        encRssMiB: Math.max(...enc.map((r) => r.maxRssMiB)),
        decRssMiB: Math.max(...dec.map((r) => r.maxRssMiB)),
      };
    });
    const startupSeconds = median(startups.map((r) => r.wallMs)) / 1000;
    return report(size, figures, skipped, floor, startupSeconds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const AGE = 'age -r / -d -i';
const NATIVE = 'filecrypt, native format (-r fcpub1…)';
const AGE_FORMAT = 'filecrypt, age format (-r age1…, dec -i)';

function setUp(root: string, dir: string): { contenders: Contender[]; skipped: string[]; startup: [string, string[]] } {
  const cli = join(root, 'packages/filecrypt/bin/filecrypt.js');
  const node = process.execPath;
  const keyFile = join(dir, 'fc.key');
  const publicKey =
    execFileSync(node, [cli, 'keygen', '-o', keyFile], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
  const quiet = ['--force', '--quiet'];
  const contenders: Contender[] = [];
  const skipped: string[] = [];
  const age = findPeer('age', 'age');
  const ageKeygen = findPeer('age-keygen', 'age');
  if ('path' in age && 'path' in ageKeygen) {
    const ageKey = join(dir, 'age.key');
    execFileSync(ageKeygen.path, ['-o', ageKey], { stdio: 'ignore' });
    const recipient = /public key: (age1\S+)/.exec(readFileSync(ageKey, 'utf8'))?.[1] ?? '';
    contenders.push({
      name: AGE,
      enc: (i, o) => [age.path, ['-e', '-r', recipient, '-o', o, i]],
      dec: (i, o) => [age.path, ['-d', '-i', ageKey, '-o', o, i]],
    });
    contenders.push({
      name: AGE_FORMAT,
      enc: (i, o) => [node, [cli, 'enc', i, '-o', o, '-r', recipient, ...quiet]],
      dec: (i, o) => [node, [cli, 'dec', i, '-o', o, '-i', ageKey, ...quiet]],
    });
  } else skipped.push('skipped' in age ? age.skipped : 'age-keygen not installed (apt-get install age)');
  contenders.push({
    name: NATIVE,
    enc: (i, o) => [node, [cli, 'enc', i, '-o', o, '-r', publicKey, ...quiet]],
    dec: (i, o) => [node, [cli, 'dec', i, '-o', o, '-k', keyFile, ...quiet]],
  });
  return { contenders, skipped, startup: [node, [cli, '--version']] };
}

async function run(name: string, direction: string, command: string, args: string[]) {
  const result = await timed(command, args);
  if (result.exitCode !== 0)
    throw new Error(`${name} ${direction} failed (${result.exitCode}): ${result.stderr.trim()}`);
  return result;
}

function report(size: number, figures: Figures[], skipped: string[], floor: Floor, startup: number): SuiteResult {
  const find = (name: string) => figures.find((f) => f.name === name);
  const age = find(AGE);
  const mbps = (seconds: number) => size / 1e6 / seconds;
  // age's wall time over ours: above 1, filecrypt is faster.
  const speedup = (ours: Figures | undefined, dir: 'encSeconds' | 'decSeconds') =>
    ours && age ? age[dir] / ours[dir] : Number.NaN;
  const x = (value: number) => (Number.isNaN(value) ? '—' : `${value.toFixed(2)}×`);
  const rows = figures.map((f) => [
    f.name,
    f.encSeconds,
    f.encMBps,
    f === age ? '1.00×' : x(speedup(f, 'encSeconds')),
    f.decSeconds,
    f.decMBps,
    f === age ? '1.00×' : x(speedup(f, 'decSeconds')),
    f.encRssMiB,
    f.decRssMiB,
  ]);
  for (const reason of skipped) rows.push([`age: ${reason}`, '', '', '', '', '', '', '', '']);
  const cores = availableParallelism();
  const targets: SuiteResult['targets'] = [];
  for (const name of [NATIVE, AGE_FORMAT]) {
    const ours = find(name);
    for (const dir of ['encSeconds', 'decSeconds'] as const) {
      const value = speedup(ours, dir);
      const what = `${name} ${dir === 'encSeconds' ? 'enc' : 'dec'} vs age`;
      const met = Number.isNaN(value) ? ('skipped' as const) : value >= 1;
      targets.push({ what, value: x(value), target: '≥ 1.0× (stretch 1.5×)', met });
    }
    if (ours) {
      const peak = Math.max(ours.encRssMiB, ours.decRssMiB);
      targets.push({ what: `${name} peak RSS`, value: `${peak.toFixed(1)} MiB`, target: '≤ 64 MiB', met: peak <= 64 });
    }
  }
  return {
    tool: 'filecrypt',
    tables: [
      {
        title: `filecrypt: the machine's ceiling in Node, ${size / 2 ** 20} MiB, median of ${RUNS} runs`,
        columns: ['work', 'seconds', 'MB/s'],
        rows: [
          ['start node and filecrypt (filecrypt --version)', startup, ''],
          ['copy the file (1 MiB reads and writes)', floor.copySeconds, mbps(floor.copySeconds)],
          ['SHA-256 (metadata version 1 only)', floor.shaSeconds, mbps(floor.shaSeconds)],
          ['AES-256-GCM, a fresh cipher per 64 KiB (native)', floor.aesSeconds, mbps(floor.aesSeconds)],
          ['ChaCha20-Poly1305, a fresh cipher per 64 KiB (age)', floor.chachaSeconds, mbps(floor.chachaSeconds)],
        ],
        notes: [
          `Each part timed alone on one thread (floor-child.ts); the machine has ${cores} cores. A run is at least the start plus (copy + cipher) / cores.`,
        ],
      },
      {
        title: `filecrypt vs age: ${size / 2 ** 20} MiB random file on tmpfs, median of ${RUNS} interleaved runs`,
        columns: [
          'tool',
          'enc s',
          'enc MB/s',
          'enc vs age',
          'dec s',
          'dec MB/s',
          'dec vs age',
          'enc RSS MiB',
          'dec RSS MiB',
        ],
        rows,
        notes: [
          '"vs age" is age\'s median wall time over ours (above 1: faster than age). Wall time of the whole process; peak RSS from GNU time (%M), the largest of the runs.',
        ],
      },
    ],
    data: { sizeBytes: size, runs: RUNS, figures, floor, startupSeconds: startup },
    targets,
  };
}

function writeRandom(file: string, size: number): string {
  const chunk = Buffer.alloc(4 * 2 ** 20);
  const hash = createHash('sha256');
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < size; written += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, size - written));
      randomFillSync(part);
      hash.update(part);
      writeSync(fd, part);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Streamed, so that checking the output does not hold it in memory. */
async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 2 ** 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
