import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

const PROBE = fileURLToPath(new URL('./fixtures/rss-probe.mjs', import.meta.url));
const GIB = 1024 * 1024 * 1024;
const LIMIT_KIB = 64 * 1024;
const CHUNK = 256 * 1024;

/** Generated plaintext, never held in memory: 256 KiB chunks, each different. */
function* plaintext(total: number): Generator<Buffer> {
  const base = Buffer.alloc(CHUNK, 0x5a);
  for (let sent = 0; sent < total; sent += CHUNK) {
    const next = Buffer.from(base);
    next.writeDoubleBE(sent, 0);
    yield next;
  }
}

interface Peak {
  command: string;
  code: number;
  maxRssKiB: number;
}

/**
 * Plaintext from this process → enc → dec, each child reporting its peak RSS.
 * enc writes to a pipe that dec drains more slowly than enc fills it (dec
 * does more per byte), which is what once made enc hold on to queued output.
 * With `verify`, dec's output comes back here and is hashed against the
 * input; without, it goes to /dev/null (a consumer that is never slow) and
 * dec's own size and SHA-256 check, which sets its exit code, vouches for it.
 */
async function pipeline(total: number, verify: boolean): Promise<Peak[]> {
  const dir = tempDir();
  const report = join(dir, 'rss.jsonl');
  const env = { ...process.env, FILECRYPT_PASSPHRASE: 'memory test' };
  const enc = spawn(process.execPath, [PROBE, report, 'enc', '--iter', '1000'], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const dec = spawn(process.execPath, [PROBE, report, 'dec'], {
    env,
    stdio: [enc.stdout, verify ? 'pipe' : 'ignore', 'inherit'],
  });
  // dec holds its own copy of the pipe; the parent's would keep enc's 'close' from ever firing.
  enc.stdout.destroy();
  const exits = Promise.all([
    new Promise((resolve) => enc.on('exit', resolve)),
    new Promise((resolve) => dec.on('close', resolve)),
  ]);

  const sent = createHash('sha256');
  const received = createHash('sha256');
  let receivedBytes = 0;
  dec.stdout?.on('data', (chunk: Buffer) => {
    received.update(chunk);
    receivedBytes += chunk.length;
  });
  for (const chunk of plaintext(total)) {
    if (verify) sent.update(chunk);
    if (!enc.stdin.write(chunk)) await new Promise((resolve) => enc.stdin.once('drain', resolve));
  }
  enc.stdin.end();

  expect(await exits).toEqual([0, 0]);
  if (verify) {
    expect(receivedBytes).toBe(total);
    expect(received.digest('hex')).toBe(sent.digest('hex'));
  }
  const peaks = readFileSync(report, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Peak);
  console.log(
    `${total / GIB} GiB peak RSS: ${peaks.map((p) => `${p.command} ${(p.maxRssKiB / 1024).toFixed(1)} MiB`).join(', ')}`,
  );
  expect(peaks.map((p) => p.command).sort()).toEqual(['dec', 'enc']);
  return peaks;
}

// The slow suites run once, on the main CI Node (20): .ci/node24 sets QUARTET_SLOW_TESTS=skip. The 64 MiB budget is
// also Node 20's: Node 24's own baseline is higher (65.8 MB at 1 GiB and 76 MB at 4 GiB measured in CI).
const skipSlow = process.env['QUARTET_SLOW_TESTS'] === 'skip';
if (skipSlow) console.log(`skipped: the 1 and 4 GiB memory runs (QUARTET_SLOW_TESTS=skip on Node ${process.version})`);

it.skipIf(skipSlow)(
  'encrypts and decrypts a 1 GiB stream with each process under 64 MiB RSS',
  async () => {
    for (const peak of await pipeline(GIB, true)) expect(peak.maxRssKiB, peak.command).toBeLessThan(LIMIT_KIB);
  },
  180_000,
);

// The issue's own figure. Memory used to grow only after about 1.5 GiB, so 1 GiB alone could not show it.
it.skipIf(skipSlow)(
  'encrypts and decrypts a 4 GiB stream with each process under 64 MiB RSS',
  async () => {
    for (const peak of await pipeline(4 * GIB, false)) expect(peak.maxRssKiB, peak.command).toBeLessThan(LIMIT_KIB);
  },
  300_000,
);

/** Run the probe (dist/cli.js) with these arguments; its peak RSS, whole process (every worker thread included). */
async function probe(report: string, args: string[]): Promise<Peak> {
  const child = spawn(process.execPath, [PROBE, report, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  expect(code, args.join(' ')).toBe(0);
  const lines = readFileSync(report, 'utf8').trim().split('\n');
  return JSON.parse(lines.at(-1)!) as Peak;
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The positional path: a regular file to a file, sealed and opened on the
 * main thread and a worker thread (more on more cores), in both formats.
 * Its buffers are fixed per thread, so 512 MiB shows the steady state.
 */
it.skipIf(skipSlow)(
  'encrypts and decrypts a 512 MiB file to a file, workers included, under 64 MiB RSS in both formats',
  async () => {
    const dir = tempDir();
    const input = join(dir, 'in.bin');
    const sent = createHash('sha256');
    const fd = openSync(input, 'w');
    for (const chunk of plaintext(GIB / 2)) {
      sent.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    const inputHash = sent.digest('hex');
    const keyFile = join(dir, 'fc.key');
    const ageKeyFile = join(dir, 'age.key');
    const native = await runCli(['keygen', '-o', keyFile]);
    const age = await runCli(['keygen', '--format', 'age', '-o', ageKeyFile]);
    const last = (out: Buffer) => out.toString().trim().split('\n').at(-1)!;
    const report = join(dir, 'rss.jsonl');
    const formats = [
      { name: 'native', recipient: last(native.stdout), identity: ['-k', keyFile] },
      { name: 'age', recipient: last(age.stdout), identity: ['-i', ageKeyFile] },
    ];
    for (const format of formats) {
      const encrypted = join(dir, `${format.name}.enc`);
      const back = join(dir, `${format.name}.out`);
      const enc = await probe(report, ['enc', input, '-o', encrypted, '-r', format.recipient, '--quiet']);
      const dec = await probe(report, ['dec', encrypted, '-o', back, ...format.identity, '--quiet']);
      console.log(
        `512 MiB file to file, ${format.name}: enc ${(enc.maxRssKiB / 1024).toFixed(1)} MiB, dec ${(dec.maxRssKiB / 1024).toFixed(1)} MiB`,
      );
      expect(enc.maxRssKiB, `${format.name} enc`).toBeLessThan(LIMIT_KIB);
      expect(dec.maxRssKiB, `${format.name} dec`).toBeLessThan(LIMIT_KIB);
      expect(await hashFile(back)).toBe(inputHash);
    }
  },
  300_000,
);
