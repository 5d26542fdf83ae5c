import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Run in a child process: `node floor-child.js <input> <scratch output>`.
 * What any Node implementation of filecrypt's format must do per byte, each
 * part timed alone on one thread: copy the file (1 MiB reads and writes, the
 * same file system as the benchmark), SHA-256 (what metadata version 1 made
 * every run do, one serial pass), AES-256-GCM (native) and ChaCha20-Poly1305
 * (age) with a fresh cipher per 64 KiB segment, in memory. Prints one JSON
 * line of seconds per the input's size.
 */
const [input = '', output = ''] = process.argv.slice(2);
const CHUNK = 2 ** 20;
const SEGMENT = 2 ** 16;
const buffer = Buffer.allocUnsafe(CHUNK);

function seconds(work: () => void): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

let size = 0;
const copySeconds = seconds(() => {
  const from = openSync(input, 'r');
  const to = openSync(output, 'w');
  try {
    for (let n = readSync(from, buffer, 0, CHUNK, null); n > 0; n = readSync(from, buffer, 0, CHUNK, null)) {
      writeSync(to, buffer, 0, n);
      size += n;
    }
  } finally {
    closeSync(from);
    closeSync(to);
    rmSync(output, { force: true });
  }
});

const chunks = Math.ceil(size / CHUNK);
const data = randomBytes(CHUNK);
const shaSeconds = seconds(() => {
  const hash = createHash('sha256');
  for (let i = 0; i < chunks; i += 1) hash.update(data);
  hash.digest();
});

const key = randomBytes(32);
const nonce = randomBytes(12);
const aesSeconds = seconds(() => {
  for (let i = 0; i < chunks; i += 1) {
    for (let offset = 0; offset < CHUNK; offset += SEGMENT) {
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.update(data.subarray(offset, offset + SEGMENT));
      cipher.final();
      cipher.getAuthTag();
    }
  }
});

const chachaSeconds = seconds(() => {
  for (let i = 0; i < chunks; i += 1) {
    for (let offset = 0; offset < CHUNK; offset += SEGMENT) {
      const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      cipher.update(data.subarray(offset, offset + SEGMENT));
      cipher.final();
      cipher.getAuthTag();
    }
  }
});

process.stdout.write(JSON.stringify({ size, copySeconds, shaSeconds, aesSeconds, chachaSeconds }) + '\n');
