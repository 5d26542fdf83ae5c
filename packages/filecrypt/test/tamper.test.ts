import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decCommand } from '../src/commands/dec.js';
import { encCommand } from '../src/commands/enc.js';
import { decSettings, encSettings } from '../src/config.js';
import { DEFAULT_KDF_LIMITS } from '../src/format/constants.js';
import { FINAL, FULL, runCli, seededBytes, tempDir, testContext } from './helpers.js';

/**
 * Every tampering must fail with its exact message and leave nothing in the
 * output directory. Runs decryption in-process (one KDF of 1000 iterations
 * per case) so that a thousand header bit flips stay fast; a few cases are
 * repeated through the CLI for the exit code and stdout behaviour.
 */
const HEADER = 123;
const PASSPHRASE = 'tamper test passphrase';
const LIMITS = { ...DEFAULT_KDF_LIMITS, maxPbkdf2Iterations: 5000 };
/** 3 full data segments, a short one of 1000 bytes, then the final metadata segment (index 4). */
const PLAINTEXT = seededBytes('tamper', 3 * 65536 + 1000);
const LAST_DATA = 1000 + 16;

let original: Buffer;
let other: Buffer;

/** Runs in beforeAll, where onTestFinished is not available: cleans up itself. */
async function encrypt(): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'filecrypt-tamper-'));
  try {
    writeFileSync(join(dir, 'plain'), PLAINTEXT);
    const context = testContext({ config: { passphrase: Buffer.from(PASSPHRASE) } });
    await encCommand(join(dir, 'plain'), encSettings({ output: join(dir, 'enc'), iter: '1000' }), context);
    return readFileSync(join(dir, 'enc'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  original = await encrypt();
  other = await encrypt();
  expect(original.length).toBe(HEADER + 3 * FULL + LAST_DATA + FINAL);
});

/** Decrypt `bytes` in-process into an output file; returns the error message and what the output dir holds. */
async function decryptTampered(bytes: Buffer): Promise<{ message: string; left: string[] }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.fc'), bytes);
  const out = join(dir, 'out');
  mkdirSync(out);
  const context = { ...testContext({ config: { passphrase: Buffer.from(PASSPHRASE) } }), limits: LIMITS };
  let message = 'no error';
  await decCommand(join(dir, 'in.fc'), decSettings({ output: join(out, 'plain') }), context).catch(
    (error: Error) => (message = error.message),
  );
  return { message, left: readdirSync(out) };
}

const segmentAt = (index: number) => HEADER + index * FULL;

describe('header tampering', () => {
  it('flipping any bit of any header byte fails with the message for that field', async () => {
    const failures: string[] = [];
    for (let offset = 0; offset < HEADER; offset += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const bytes = Buffer.from(original);
        bytes[offset]! ^= 1 << bit;
        const expected = expectedHeaderMessage(offset, bytes);
        const { message, left } = await decryptTampered(bytes);
        if (message !== expected || left.length > 0) {
          failures.push(`byte ${offset} bit ${bit}: ${message} (wanted ${expected}) left ${left.join(',')}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

/** Header layout of a PBKDF2 file: see docs/filecrypt-format.md. */
function expectedHeaderMessage(offset: number, bytes: Buffer): string {
  if (offset < 8) return 'not a filecrypt file';
  if (offset === 8) return `unsupported filecrypt format version ${bytes[8]} (this filecrypt reads version 1)`;
  if (offset >= 22 && offset < 26) {
    const iterations = bytes.readUInt32BE(22);
    return iterations > LIMITS.maxPbkdf2Iterations
      ? `refusing to decrypt: PBKDF2 iterations ${iterations} exceed the limit of ${LIMITS.maxPbkdf2Iterations}; --allow-expensive-kdf accepts it`
      : 'wrong passphrase or key';
  }
  if (offset >= 27 && offset < 91) return 'wrong passphrase or key';
  return 'header is corrupted';
}

describe('payload tampering', () => {
  const samples = [
    [segmentAt(0), 0],
    [segmentAt(0) + 30000, 0],
    [segmentAt(1) - 1, 0],
    [segmentAt(1) + 65535, 1],
    [segmentAt(2) + 65540, 2],
    [segmentAt(3), 3],
    [segmentAt(3) + LAST_DATA - 1, 3],
    [segmentAt(3) + LAST_DATA, 4],
    [segmentAt(3) + LAST_DATA + 200, 4],
    [segmentAt(3) + LAST_DATA + FINAL - 1, 4],
  ] as const;

  it.each(samples)('a bit flip at byte %i is "corrupted at segment %i"', async (offset, segment) => {
    const bytes = Buffer.from(original);
    bytes[offset]! ^= 0x10;
    expect(await decryptTampered(bytes)).toEqual({ message: `corrupted at segment ${segment}`, left: [] });
  });

  const cuts = [
    ['inside the magic', 5],
    ['inside the header', 60],
    ['inside the header MAC', HEADER - 1],
    ['right after the header', HEADER],
    ...[1, 2, 3].map((k) => [`at the boundary after segment ${k - 1}`, segmentAt(k)] as const),
    ['after the last data segment (final segment dropped)', segmentAt(3) + LAST_DATA],
    ...[0, 1, 2].map((k) => [`in the middle of segment ${k}`, segmentAt(k) + 32768] as const),
    ['in the middle of the last data segment', segmentAt(3) + 500],
    ['in the middle of the final segment', segmentAt(3) + LAST_DATA + 100],
    ['one byte short', HEADER + 3 * FULL + LAST_DATA + FINAL - 1],
  ] as const;

  it.each(cuts)('truncation %s is "truncated"', async (_, length) => {
    expect(await decryptTampered(original.subarray(0, length))).toEqual({ message: 'truncated', left: [] });
  });

  it.each([1, 15, 16, 17, 336, 100_000])(
    '%i appended bytes are "unexpected data after the final segment"',
    async (n) => {
      const bytes = Buffer.concat([original, seededBytes('junk', n)]);
      expect(await decryptTampered(bytes)).toEqual({ message: 'unexpected data after the final segment', left: [] });
    },
  );

  it('appended bytes after a file whose data fills its last segment are detected too', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), PLAINTEXT.subarray(0, 2 * 65536));
    const context = testContext({ config: { passphrase: Buffer.from(PASSPHRASE) } });
    await encCommand(join(dir, 'plain'), encSettings({ output: join(dir, 'enc'), iter: '1000' }), context);
    const exact = readFileSync(join(dir, 'enc'));
    expect(exact.length).toBe(HEADER + 2 * FULL + FINAL);
    for (const n of [1, 10, 5000]) {
      const result = await decryptTampered(Buffer.concat([exact, Buffer.alloc(n, 7)]));
      expect(result).toEqual({ message: 'unexpected data after the final segment', left: [] });
    }
    expect(await decryptTampered(exact.subarray(0, HEADER + 2 * FULL))).toEqual({ message: 'truncated', left: [] });
  });

  it('swapping two segments fails at the first one out of place', async () => {
    const bytes = Buffer.from(original);
    original.copy(bytes, segmentAt(1), segmentAt(2), segmentAt(3));
    original.copy(bytes, segmentAt(2), segmentAt(1), segmentAt(2));
    expect(await decryptTampered(bytes)).toEqual({ message: 'corrupted at segment 1', left: [] });
  });

  it('dropping the last data segment makes the final segment fail at its new position', async () => {
    const bytes = Buffer.concat([original.subarray(0, segmentAt(3)), original.subarray(segmentAt(3) + LAST_DATA)]);
    expect(await decryptTampered(bytes)).toEqual({ message: 'corrupted at segment 3', left: [] });
  });

  it('dropping a middle segment fails where it was', async () => {
    const bytes = Buffer.concat([original.subarray(0, segmentAt(1)), original.subarray(segmentAt(2))]);
    expect(await decryptTampered(bytes)).toEqual({ message: 'corrupted at segment 1', left: [] });
  });

  it.each([1, 4])('splicing segment %i from another file with the same passphrase fails there', async (index) => {
    const bytes = Buffer.from(original);
    const start = index === 4 ? segmentAt(3) + LAST_DATA : segmentAt(index);
    other.copy(bytes, start, start, start + (index === 4 ? FINAL : FULL));
    expect(await decryptTampered(bytes)).toEqual({ message: `corrupted at segment ${index}`, left: [] });
  });

  it('splicing the whole header of another file fails (payload bound to the file key)', async () => {
    const bytes = Buffer.concat([other.subarray(0, HEADER), original.subarray(HEADER)]);
    expect(await decryptTampered(bytes)).toEqual({ message: 'corrupted at segment 0', left: [] });
  });
});

describe('tampering through the CLI', () => {
  it('exit code 4 and one line on stderr; nothing written with -o', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cut.fc'), original.subarray(0, segmentAt(2) + 100));
    const env = { FILECRYPT_PASSPHRASE: PASSPHRASE };
    const result = await runCli(['dec', join(dir, 'cut.fc'), '-o', join(dir, 'plain')], { env });
    expect(result).toMatchObject({ code: 4, stderr: 'filecrypt: truncated\n' });
    expect(readdirSync(dir)).toEqual(['cut.fc']);
  });

  it('to stdout, only authenticated segments are released before the failure', async () => {
    const dir = tempDir();
    const bytes = Buffer.from(original);
    bytes[segmentAt(2) + 10]! ^= 1;
    writeFileSync(join(dir, 'bad.fc'), bytes);
    const result = await runCli(['dec', join(dir, 'bad.fc')], { env: { FILECRYPT_PASSPHRASE: PASSPHRASE } });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe('filecrypt: corrupted at segment 2\n');
    // Output is batched, so less may have been written, but never a byte of segment 2.
    expect(result.stdout.length).toBeLessThanOrEqual(2 * 65536);
    expect(result.stdout.equals(PLAINTEXT.subarray(0, result.stdout.length))).toBe(true);
  });
});
