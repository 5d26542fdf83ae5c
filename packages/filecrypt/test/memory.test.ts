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

/** 1 GiB of generated plaintext, never held in memory: 256 KiB chunks, each different. */
function* plaintext(): Generator<Buffer> {
  const chunk = 256 * 1024;
  const base = Buffer.alloc(chunk, 0x5a);
  for (let sent = 0; sent < GIB; sent += chunk) {
    const next = Buffer.from(base);
    next.writeDoubleBE(sent, 0);
    yield next;
  }
}

it('encrypts and decrypts a 1 GiB stream with each process under 64 MiB RSS', async () => {
  const dir = tempDir();
  const report = join(dir, 'rss.jsonl');
  const env = { ...process.env, FILECRYPT_PASSPHRASE: 'memory test' };
  const enc = spawn(process.execPath, [PROBE, report, 'enc', '--iter', '1000'], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const dec = spawn(process.execPath, [PROBE, report, 'dec'], { env, stdio: [enc.stdout, 'pipe', 'inherit'] });
  // dec holds its own copy of the pipe; the parent's would keep enc's 'close' from ever firing.
  enc.stdout.destroy();
  const exits = Promise.all([
    new Promise((resolve) => enc.on('exit', resolve)),
    new Promise((resolve) => dec.on('close', resolve)),
  ]);

  const sent = createHash('sha256');
  const received = createHash('sha256');
  let receivedBytes = 0;
  dec.stdout.on('data', (chunk: Buffer) => {
    received.update(chunk);
    receivedBytes += chunk.length;
  });
  for (const chunk of plaintext()) {
    sent.update(chunk);
    if (!enc.stdin.write(chunk)) await new Promise((resolve) => enc.stdin.once('drain', resolve));
  }
  enc.stdin.end();

  expect(await exits).toEqual([0, 0]);
  expect(receivedBytes).toBe(GIB);
  expect(received.digest('hex')).toBe(sent.digest('hex'));
  const peaks = readFileSync(report, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { command: string; code: number; maxRssKiB: number });
  console.log(`peak RSS: ${peaks.map((p) => `${p.command} ${(p.maxRssKiB / 1024).toFixed(1)} MiB`).join(', ')}`);
  expect(peaks.map((p) => p.command).sort()).toEqual(['dec', 'enc']);
  for (const peak of peaks) expect(peak.maxRssKiB, peak.command).toBeLessThan(LIMIT_KIB);
}, 180_000);
