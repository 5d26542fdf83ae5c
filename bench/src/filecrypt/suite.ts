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
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPeer } from '../lib/peers.js';
import { timed } from '../lib/process.js';
import type { SuiteResult } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';

interface Contender {
  name: string;
  skipped?: string;
  enc?: (input: string, output: string) => [string, string[]];
  dec?: (input: string, output: string) => [string, string[]];
}

/** Seconds for the input's size, each part alone on one thread (floor-child.ts). */
interface Floor {
  size: number;
  copySeconds: number;
  shaSeconds: number;
  aesSeconds: number;
}

interface Figures {
  name: string;
  encMBps: number;
  decMBps: number;
  encRssMiB: number;
  decRssMiB: number;
}

const RUNS = 3;

/**
 * filecrypt enc/dec throughput on a 1 GiB random file, beside age, openssl
 * and gpg on the same file. Files live on tmpfs when there is one: on a disk,
 * single runs vary by 3x and measure the disk, not the tool.
 */
export async function filecryptSuite(ctx: SuiteContext): Promise<SuiteResult> {
  const size = ctx.quick ? 64 * 2 ** 20 : 2 ** 30;
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'quartet-bench-filecrypt-'));
  try {
    const input = join(dir, 'input.bin');
    const inputHash = writeRandom(input, size);
    ctx.log(`machine ceiling: copy, SHA-256 and AES-256-GCM alone, ${RUNS} runs`);
    const floors: Floor[] = [];
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
    };
    const contenders = setUp(ctx.root, dir);
    const figures: Figures[] = [];
    for (const c of contenders) {
      if (!c.enc || !c.dec) {
        ctx.log(c.skipped ?? `${c.name}: skipped`);
        continue;
      }
      ctx.log(`${c.name}: ${RUNS} runs each way`);
      const encrypted = join(dir, 'out.enc');
      const decrypted = join(dir, 'out.dec');
      const enc = [];
      const dec = [];
      for (let i = 0; i < RUNS; i += 1) {
        rmSync(encrypted, { force: true });
        rmSync(decrypted, { force: true });
        enc.push(await run(c.name, 'enc', ...c.enc(input, encrypted)));
        dec.push(await run(c.name, 'dec', ...c.dec(encrypted, decrypted)));
      }
      if ((await hashFile(decrypted)) !== inputHash)
        throw new Error(`${c.name}: decrypted output differs from the input`);
      figures.push({
        name: c.name,
        encMBps: size / 1e6 / (median(enc.map((r) => r.wallMs)) / 1000),
        decMBps: size / 1e6 / (median(dec.map((r) => r.wallMs)) / 1000),
        encRssMiB: Math.max(...enc.map((r) => r.maxRssMiB)),
        decRssMiB: Math.max(...dec.map((r) => r.maxRssMiB)),
      });
    }
    return report(size, figures, contenders, floor);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function setUp(root: string, dir: string): Contender[] {
  const cli = join(root, 'packages/filecrypt/bin/filecrypt.js');
  const node = process.execPath;
  const passFile = join(dir, 'pass.txt');
  writeFileSync(passFile, 'correct horse battery staple\n');
  const keyFile = join(dir, 'fc.key');
  const publicKey =
    execFileSync(node, [cli, 'keygen', '-o', keyFile], { encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
  const quiet = ['--force', '--quiet'];
  const contenders: Contender[] = [
    {
      name: 'filecrypt -r (X25519)',
      enc: (i, o) => [node, [cli, 'enc', i, '-o', o, '-r', publicKey, ...quiet]],
      dec: (i, o) => [node, [cli, 'dec', i, '-o', o, '-k', keyFile, ...quiet]],
    },
    {
      name: 'filecrypt passphrase (PBKDF2 600k)',
      enc: (i, o) => [node, [cli, 'enc', i, '-o', o, '--passphrase-file', passFile, ...quiet]],
      dec: (i, o) => [node, [cli, 'dec', i, '-o', o, '--passphrase-file', passFile, ...quiet]],
    },
  ];

  const age = findPeer('age', 'age');
  const ageKeygen = findPeer('age-keygen', 'age');
  if ('path' in age && 'path' in ageKeygen) {
    const ageKey = join(dir, 'age.key');
    execFileSync(ageKeygen.path, ['-o', ageKey], { stdio: 'ignore' });
    const recipient = /public key: (age1\S+)/.exec(readFileSync(ageKey, 'utf8'))?.[1] ?? '';
    contenders.push({
      name: 'age -r (X25519)',
      enc: (i, o) => [age.path, ['-e', '-r', recipient, '-o', o, i]],
      dec: (i, o) => [age.path, ['-d', '-i', ageKey, '-o', o, i]],
    });
  } else
    contenders.push({
      name: 'age',
      skipped: 'skipped' in age ? age.skipped : 'skipped: age-keygen not installed (apt-get install age)',
    });

  const openssl = findPeer('openssl', 'openssl');
  if ('path' in openssl) {
    const common = ['-aes-256-cbc', '-pbkdf2', '-md', 'sha256', '-iter', '600000', '-pass', `file:${passFile}`];
    contenders.push({
      name: 'openssl enc -aes-256-cbc -pbkdf2 (600k)',
      enc: (i, o) => [openssl.path, ['enc', ...common, '-in', i, '-out', o]],
      dec: (i, o) => [openssl.path, ['enc', '-d', ...common, '-in', i, '-out', o]],
    });
  } else contenders.push({ name: 'openssl', skipped: openssl.skipped });

  const gpg = findPeer('gpg', 'gnupg');
  if ('path' in gpg) {
    const home = join(dir, 'gnupg');
    execFileSync('mkdir', ['-m', '700', home]);
    const common = [
      '--homedir',
      home,
      '--batch',
      '--yes',
      '--quiet',
      '--pinentry-mode',
      'loopback',
      '--passphrase-file',
      passFile,
    ];
    contenders.push({
      name: 'gpg --symmetric (AES256)',
      enc: (i, o) => [gpg.path, [...common, '--symmetric', '--cipher-algo', 'AES256', '-o', o, i]],
      dec: (i, o) => [gpg.path, [...common, '--decrypt', '-o', o, i]],
    });
  } else contenders.push({ name: 'gpg', skipped: gpg.skipped });
  return contenders;
}

async function run(name: string, direction: string, command: string, args: string[]) {
  const result = await timed(command, args);
  if (result.exitCode !== 0)
    throw new Error(`${name} ${direction} failed (${result.exitCode}): ${result.stderr.trim()}`);
  return result;
}

function report(size: number, figures: Figures[], contenders: Contender[], floor: Floor): SuiteResult {
  const find = (prefix: string) => figures.find((f) => f.name.startsWith(prefix));
  const ours = find('filecrypt -r');
  const age = find('age');
  const openssl = find('openssl');
  const rows = figures.map((f) => [f.name, f.encMBps, f.decMBps, f.encRssMiB, f.decRssMiB]);
  for (const c of contenders) if (c.skipped) rows.push([c.name, c.skipped, '', '', '']);
  // The work per byte is the same both ways: read, AES-GCM, SHA-256, write. SHA-256 is one serial pass, so even
  // with both cores busy and nothing else in the way, a whole file takes at least the longer of the hash and
  // half of all the work.
  const mbps = (seconds: number) => size / 1e6 / seconds;
  const total = floor.copySeconds + floor.shaSeconds + floor.aesSeconds;
  const bound = mbps(Math.max(floor.shaSeconds, total / 2));
  const target = (what: string, peer: Figures | undefined, dir: 'encMBps' | 'decMBps', factor: number) => ({
    what: `${what} vs ${peer?.name ?? 'peer'}`,
    value:
      ours && peer
        ? `${ratio(ours[dir], peer[dir])} (needs ${Math.round(factor * peer[dir])} MB/s, ceiling ${Math.round(bound)})`
        : 'skipped',
    target: `≥ ${factor}×`,
    met: ours && peer ? ours[dir] >= factor * peer[dir] : ('skipped' as const),
  });
  const peakRss = ours ? Math.max(ours.encRssMiB, ours.decRssMiB) : Number.NaN;
  return {
    tool: 'filecrypt',
    tables: [
      {
        title: `filecrypt: the machine's ceiling for this format in Node, ${size / 2 ** 20} MiB, median of ${RUNS} runs`,
        columns: ['work', 'seconds', 'MB/s'],
        rows: [
          ['copy the file (1 MiB reads and writes)', floor.copySeconds, mbps(floor.copySeconds)],
          ['SHA-256 (the metadata checksum)', floor.shaSeconds, mbps(floor.shaSeconds)],
          ['AES-256-GCM, a fresh cipher per 64 KiB', floor.aesSeconds, mbps(floor.aesSeconds)],
          ['all three on one thread', total, mbps(total)],
          ['all three on 2 cores, perfectly parallel', Math.max(floor.shaSeconds, total / 2), bound],
        ],
        notes: [
          'Each part timed alone on one thread (floor-child.ts). SHA-256 of the whole plaintext is required by the format (dec checks it) and is one serial pass; the last row is max(SHA-256, all / 2), the best any Node implementation could do on 2 cores.',
        ],
      },
      {
        title: `filecrypt: ${size / 2 ** 20} MiB random file, median of ${RUNS} runs, on tmpfs`,
        columns: ['tool', 'enc MB/s', 'dec MB/s', 'enc peak RSS MiB', 'dec peak RSS MiB'],
        rows,
        notes: [
          `ratios, filecrypt -r ÷ age: enc ${ours && age ? ratio(ours.encMBps, age.encMBps) : '—'}, dec ${ours && age ? ratio(ours.decMBps, age.decMBps) : '—'}; ÷ openssl-cbc: enc ${ours && openssl ? ratio(ours.encMBps, openssl.encMBps) : '—'}, dec ${ours && openssl ? ratio(ours.decMBps, openssl.decMBps) : '—'}`,
        ],
      },
    ],
    data: { sizeBytes: size, runs: RUNS, figures, floor, ceilingMBps: bound },
    targets: [
      target('enc', age, 'encMBps', 1.5),
      target('dec', age, 'decMBps', 1.5),
      target('enc', openssl, 'encMBps', 2),
      target('dec', openssl, 'decMBps', 2),
      { what: 'peak RSS', value: `${peakRss.toFixed(0)} MiB`, target: '≤ 64 MiB', met: peakRss <= 64 },
    ],
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

/** Streamed, so that checking a 1 GiB output does not hold it in memory. */
async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 2 ** 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
