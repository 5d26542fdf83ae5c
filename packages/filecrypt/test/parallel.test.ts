import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ageToolsForTests } from './age-helpers.js';
import { FINAL, FULL, runCli, SEGMENT, seededBytes, seededRandom, sha256, tempDir } from './helpers.js';

/**
 * The positional path (engine/positional.ts, engine/age-positional.ts,
 * parallel/): a regular file to a file, 4 MiB and more, sealed and opened by
 * batches on the main thread and worker threads. The CLI tests run the
 * bundle (bin/filecrypt.js), so they also prove that bundle/crypt-worker.js
 * is found; the engine tests import dist/ (a worker runs JavaScript: the
 * compiled worker beside the compiled pool), so they need `pnpm build`.
 */
const SIZE = 9 * SEGMENT * 16 + 1234; // 9 MiB and a short last segment: many batches, both threads busy
const ageTools = ageToolsForTests();
if (!ageTools.available) console.log(ageTools.reason);

interface Keys {
  dir: string;
  publicKey: string;
  keyFile: string;
  agePublic: string;
  ageKeyFile: string;
}

async function keys(): Promise<Keys> {
  const dir = tempDir();
  const keyFile = join(dir, 'fc.key');
  const ageKeyFile = join(dir, 'age.key');
  const native = await runCli(['keygen', '-o', keyFile]);
  const age = await runCli(['keygen', '--format', 'age', '-o', ageKeyFile]);
  expect([native.code, age.code]).toEqual([0, 0]);
  return {
    dir,
    keyFile,
    ageKeyFile,
    publicKey: native.stdout.toString().trim().split('\n').at(-1)!,
    agePublic: age.stdout.toString().trim().split('\n').at(-1)!,
  };
}

const formats = [
  { name: 'native', recipient: (k: Keys) => k.publicKey, identity: (k: Keys) => ['-k', k.keyFile] },
  { name: 'age', recipient: (k: Keys) => k.agePublic, identity: (k: Keys) => ['-i', k.ageKeyFile] },
] as const;

/** Nothing but the expected files: no output, no temporary file left beside it. */
/** SIZE seeded bytes in k.dir/in.bin, encrypted by offsets to k.dir/x.enc. */
async function encryptedFile(k: Keys, format: (typeof formats)[number], seed: string): Promise<string> {
  const input = join(k.dir, 'in.bin');
  writeFileSync(input, seededBytes(seed, SIZE));
  const encrypted = join(k.dir, 'x.enc');
  expect((await runCli(['enc', input, '-o', encrypted, '-r', format.recipient(k)])).code).toBe(0);
  return encrypted;
}

function leftovers(dir: string, expected: string[]): string[] {
  return readdirSync(dir).filter((name) => !expected.includes(name));
}

describe.each(formats)('$name format, by offsets', (format) => {
  it('file to file both ways, and either way matches the streaming path', async () => {
    const k = await keys();
    const data = seededBytes(`parallel ${format.name}`, SIZE);
    const input = join(k.dir, 'in.bin');
    writeFileSync(input, data);
    const byOffsets = join(k.dir, 'offsets.enc');
    expect((await runCli(['enc', input, '-o', byOffsets, '-r', format.recipient(k)])).code).toBe(0);
    // Streamed: stdin to stdout, never the positional path.
    const streamed = await runCli(['enc', '-r', format.recipient(k)], { input: data });
    expect(streamed.code).toBe(0);
    expect(statSync(byOffsets).size).toBe(streamed.stdout.length);
    const streamedFile = join(k.dir, 'streamed.enc');
    writeFileSync(streamedFile, streamed.stdout);

    for (const file of [byOffsets, streamedFile]) {
      const out = join(k.dir, `${file.endsWith('offsets.enc') ? 'a' : 'b'}.out`);
      const dec = await runCli(['dec', file, '-o', out, ...format.identity(k)]);
      expect(dec).toMatchObject({ code: 0, stderr: '' });
      expect(sha256(readFileSync(out))).toBe(sha256(data));
      const piped = await runCli(['dec', ...format.identity(k)], { input: readFileSync(file) });
      expect(sha256(piped.stdout)).toBe(sha256(data));
    }
  }, 60_000);

  it('a damaged segment: exit 4, one line naming the first bad one, nothing left at -o', async () => {
    const k = await keys();
    const encrypted = await encryptedFile(k, format, 'damage');
    const bytes = readFileSync(encrypted);
    // Two damaged segments far apart (different batches, likely different threads): the first is reported.
    const segments = Math.ceil(SIZE / SEGMENT);
    const payloadStart = bytes.length - (format.name === 'native' ? FINAL : 0) - (SIZE + segments * (FULL - SEGMENT));
    const first = 97;
    bytes[payloadStart + first * FULL + 100]! ^= 1;
    bytes[payloadStart + 130 * FULL + 100]! ^= 1;
    writeFileSync(encrypted, bytes);
    const out = join(k.dir, 'out.bin');
    const dec = await runCli(['dec', encrypted, '-o', out, ...format.identity(k)]);
    expect(dec.code).toBe(4);
    expect(dec.stderr).toBe(`filecrypt: corrupted at ${format.name === 'age' ? 'chunk' : 'segment'} ${first}\n`);
    expect(leftovers(k.dir, ['fc.key', 'age.key', 'in.bin', 'x.enc'])).toEqual([]);
  }, 60_000);

  it('a cut or extended file falls back to the stream, which names it', async () => {
    const k = await keys();
    const encrypted = await encryptedFile(k, format, 'cut');
    const bytes = readFileSync(encrypted);
    const cut = join(k.dir, 'cut.enc');
    // Native: three segments' worth off the end; age: exactly the last (short, final) chunk, at a chunk boundary.
    const lastChunk = (SIZE % SEGMENT) + (FULL - SEGMENT);
    writeFileSync(cut, bytes.subarray(0, bytes.length - (format.name === 'native' ? FULL * 3 : lastChunk)));
    const extended = join(k.dir, 'extended.enc');
    writeFileSync(extended, Buffer.concat([bytes, Buffer.alloc(FULL, 7)]));
    const out = join(k.dir, 'out.bin');
    const truncated = await runCli(['dec', cut, '-o', out, ...format.identity(k)]);
    const trailing = await runCli(['dec', extended, '-o', out, ...format.identity(k)]);
    expect([truncated.code, trailing.code]).toEqual([4, 4]);
    expect(truncated.stderr).toBe(
      format.name === 'age' ? 'filecrypt: truncated (no final chunk)\n' : 'filecrypt: truncated\n',
    );
    // age's stream reads a short final chunk with data after it as one damaged full chunk, as age does.
    expect(trailing.stderr).toBe(
      format.name === 'age'
        ? `filecrypt: corrupted at chunk ${Math.floor(SIZE / SEGMENT)}\n`
        : 'filecrypt: unexpected data after the final segment\n',
    );
    expect(leftovers(k.dir, ['fc.key', 'age.key', 'in.bin', 'x.enc', 'cut.enc', 'extended.enc'])).toEqual([]);
  }, 60_000);
});

describe.skipIf(!ageTools.available)('age format by offsets, with the age binary', () => {
  it.each([64 * SEGMENT, 64 * SEGMENT + 1, 100 * SEGMENT - 1])(
    "%i bytes: age decrypts ours, we decrypt age's",
    async (size) => {
      const k = await keys();
      const data = seededBytes(`age ${size}`, size);
      const input = join(k.dir, 'in.bin');
      writeFileSync(input, data);
      const ours = join(k.dir, 'ours.age');
      expect((await runCli(['enc', input, '-o', ours, '-r', k.agePublic])).code).toBe(0);
      expect(sha256(execFileSync('age', ['-d', '-i', k.ageKeyFile, ours], { maxBuffer: 2 * size }))).toBe(sha256(data));
      const theirs = join(k.dir, 'theirs.age');
      execFileSync('age', ['-r', k.agePublic, '-o', theirs, input]);
      const out = join(k.dir, 'out.bin');
      expect((await runCli(['dec', theirs, '-o', out, '-i', k.ageKeyFile])).code).toBe(0);
      expect(sha256(readFileSync(out))).toBe(sha256(data));
    },
    60_000,
  );
});

describe('the engine by offsets (dist/)', () => {
  it('writes the same bytes as the stream from the same randomness', async () => {
    const { encryptNative } = await import('../dist/engine/encrypt.js');
    const { withInput } = await import('../dist/io/input.js');
    const { AtomicFile } = await import('../dist/io/output.js');
    const { positionalSource } = await import('../dist/io/positional.js');
    const dir = tempDir();
    const data = seededBytes('same bytes', SIZE);
    const input = join(dir, 'in.bin');
    writeFileSync(input, data);
    const options = (seed: string) => ({
      kind: 0 as const,
      key: { recipients: [Buffer.alloc(32, 9)] },
      facts: { name: 'in.bin', mtimeMs: 1, mode: 0o600 },
      random: seededRandom(seed),
    });
    const target = join(dir, 'offsets.fc');
    await withInput(input, Readable.from([]), async (source) => {
      expect(positionalSource(source.chunks)).toMatchObject({ size: SIZE });
      const file = await AtomicFile.create(target, { force: false, private: false });
      await encryptNative(source.chunks, file.sink(), options('same'));
      await file.commit();
    });
    const streamed: Buffer[] = [];
    const sink = {
      write: (chunks: Buffer[]) => (streamed.push(...chunks.map((c) => Buffer.from(c))), Promise.resolve()),
      end: () => Promise.resolve(),
    };
    await encryptNative(Readable.from([data]), sink, options('same'));
    expect(sha256(readFileSync(target))).toBe(sha256(Buffer.concat(streamed)));
  }, 60_000);

  it('reports progress from every thread, up to the whole file', async () => {
    const { encryptNative } = await import('../dist/engine/encrypt.js');
    const { withInput } = await import('../dist/io/input.js');
    const { AtomicFile } = await import('../dist/io/output.js');
    const { withProgress } = await import('../dist/io/progress.js');
    const dir = tempDir();
    const input = join(dir, 'in.bin');
    writeFileSync(input, seededBytes('progress', 40 * 2 ** 20));
    const drawn: string[] = [];
    await withInput(input, Readable.from([]), async (source) => {
      const { chunks, done } = withProgress(source.chunks, source.size, {
        quiet: false,
        stderrIsTTY: true,
        write: (text) => drawn.push(text),
      });
      const file = await AtomicFile.create(join(dir, 'out.fc'), { force: false, private: false });
      await encryptNative(chunks, file.sink(), { kind: 0, key: { recipients: [Buffer.alloc(32, 9)] }, facts: {} });
      await file.commit();
      done();
    });
    expect(drawn.at(-2)).toBe('\r[##############################] 100% 40.0/40.0 MiB');
    expect(drawn.at(-1)).toBe('\n');
    // How many redraws there are depends on how the workers' batches fall; what must hold is that the bar moved
    // before the end and only ever forward.
    const percents = drawn.slice(0, -1).map((line) => Number(/\] (\d+)%/.exec(line)?.[1]));
    expect(percents.length).toBeGreaterThan(1);
    expect(percents.every((p, i) => i === 0 || p > percents[i - 1]!)).toBe(true);
  }, 60_000);

  it('a worker killed during a job rejects the job, and every worker is gone when it does', async () => {
    const { runJob } = await import('../dist/parallel/pool.js');
    const dir = tempDir();
    const size = 64 * 2 ** 20;
    const input = join(dir, 'in.bin');
    writeFileSync(input, Buffer.alloc(size, 1));
    const inFd = openSync(input, 'r');
    const outFd = openSync(join(dir, 'out.bin'), 'w');
    const workers: { threadId: number; terminate(): Promise<number> }[] = [];
    try {
      const job = {
        op: 'seal' as const,
        cipher: { kind: 'native' as const, key: Buffer.alloc(32, 1), noncePrefix: Buffer.alloc(7, 2) },
        inFd,
        outFd,
        inOffset: 0,
        outOffset: 0,
        segmentSize: SEGMENT,
        segments: size / SEGMENT,
        plaintextBytes: size,
        finalIndex: -1,
        batchSegments: 4,
      };
      const running = runJob(job, {
        label: input,
        workers: 2,
        mainThread: false,
        onWorker: (worker) => {
          workers.push(worker);
          // Killed as soon as it is handed the job, and the main thread takes no batch here, so the job cannot end
          // without them. (Killing it after its first batch raced: on a busy machine the main thread heard of that
          // batch after the workers had done the whole job, and the job rightly succeeded.)
          void worker.terminate();
        },
      });
      await expect(running).rejects.toThrow(/^a worker thread stopped unexpectedly/);
      expect(workers).toHaveLength(2);
      // A terminated worker's threadId is -1.
      expect(workers.map((worker) => worker.threadId)).toEqual([-1, -1]);
    } finally {
      closeSync(inFd);
      closeSync(outFd);
    }
  }, 60_000);

  it('a prewarmed worker takes the job; one that died meanwhile is passed over', async () => {
    const { prewarm, runJob } = await import('../dist/parallel/pool.js');
    const dir = tempDir();
    const size = 8 * 2 ** 20;
    const input = join(dir, 'in.bin');
    writeFileSync(input, seededBytes('prewarm', size));
    const sealWith = async (name: string, workers: number) => {
      const inFd = openSync(input, 'r');
      const outFd = openSync(join(dir, name), 'w');
      const used: object[] = [];
      try {
        const job = {
          op: 'seal' as const,
          cipher: { kind: 'age' as const, key: Buffer.alloc(32, 1) },
          ...{ inFd, outFd, inOffset: 0, outOffset: 0, segmentSize: SEGMENT, segments: size / SEGMENT },
          ...{ plaintextBytes: size, finalIndex: size / SEGMENT - 1, batchSegments: 4 },
        };
        await runJob(job, { label: input, workers, mainThread: false, onWorker: (worker) => used.push(worker) });
      } finally {
        closeSync(inFd);
        closeSync(outFd);
      }
      return { used, sealed: sha256(readFileSync(join(dir, name))) };
    };
    const [warm] = [...prewarm(1)];
    const first = await sealWith('first.bin', 1);
    expect(first.used).toEqual([warm]);
    expect(warm!.threadId).toBe(-1);

    const [doomed] = [...prewarm(1)];
    await doomed!.terminate();
    const second = await sealWith('second.bin', 1);
    expect(second.used).toHaveLength(1);
    expect(second.used[0]).not.toBe(doomed);
    expect(second.sealed).toBe(first.sealed);
    expect(statSync(join(dir, 'second.bin')).size).toBe(size + (size / SEGMENT) * 16);
  }, 60_000);

  it('an unused prewarmed worker does not keep the process alive', () => {
    const pool = new URL('../dist/parallel/pool.js', import.meta.url).href;
    // A script file, not -e: workers inherit the parent's execArgv, and --input-type would stop them.
    const script = join(tempDir(), 'prewarm.mjs');
    writeFileSync(script, `(await import(${JSON.stringify(pool)})).prewarm(1);\n`);
    const run = spawnSync(process.execPath, [script], { timeout: 30_000, encoding: 'utf8' });
    // Without unref() the idle worker, waiting for a job, would hold the process until the timeout killed it.
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
  }, 60_000);

  it('a file that shrank under the job: truncated, from whichever thread read past the end', async () => {
    const { runJob } = await import('../dist/parallel/pool.js');
    const dir = tempDir();
    const input = join(dir, 'in.bin');
    writeFileSync(input, Buffer.alloc(8 * 2 ** 20, 1));
    const inFd = openSync(input, 'r');
    const outFd = openSync(join(dir, 'out.bin'), 'w');
    try {
      const size = 16 * 2 ** 20; // the job was planned for 16 MiB; the file holds 8
      const job = {
        op: 'seal' as const,
        cipher: { kind: 'age' as const, key: Buffer.alloc(32, 1) },
        inFd,
        outFd,
        inOffset: 0,
        outOffset: 0,
        segmentSize: SEGMENT,
        segments: size / SEGMENT,
        plaintextBytes: size,
        finalIndex: size / SEGMENT - 1,
        batchSegments: 4,
      };
      await expect(runJob(job, { label: input, workers: 1 })).rejects.toThrow(/^truncated$/);
    } finally {
      closeSync(inFd);
      closeSync(outFd);
    }
  }, 60_000);
});
