import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tempDir } from './helpers.js';

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
