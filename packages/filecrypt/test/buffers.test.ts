import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChunks } from '../src/io/input.js';
import { ByteReader } from '../src/io/reader.js';
import { BatchWriter, streamSink, type Sink } from '../src/io/sink.js';
import { tempDir } from './helpers.js';

/** A sink that records what each write held when it resolved, then scribbles on the chunk as a reuser would. */
function recordingSink(): { sink: Sink; written: Buffer[]; sizes: number[] } {
  const written: Buffer[] = [];
  const sizes: number[] = [];
  const sink: Sink = {
    write: async (chunks) => {
      await new Promise((resolve) => setImmediate(resolve));
      for (const chunk of chunks) {
        written.push(Buffer.from(chunk));
        sizes.push(chunk.length);
      }
    },
    end: () => Promise.resolve(),
  };
  return { sink, written, sizes };
}

/** The source's chunks, each overwritten with 0xee right after the reader asks for the next one. */
async function* reusing(data: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  const scratch = Buffer.alloc(data.length + 1);
  let from = 0;
  for (const to of [...cuts, data.length]) {
    const chunk = scratch.subarray(0, to - from);
    data.copy(chunk, 0, from, to);
    await Promise.resolve(); // as a real read would
    yield chunk;
    chunk.fill(0xee);
    from = to;
  }
}

const cutsOf = (length: number) => fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 12 });

describe('BatchWriter', () => {
  it('writes every byte in order, in batches no bigger than the batch size, from two reused buffers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 20 }), async (lengths) => {
        const { sink, written, sizes } = recordingSink();
        const out = new BatchWriter(sink, 1024);
        const pieces = lengths.map((length) => randomBytes(length));
        for (const piece of pieces) await out.push(piece);
        await out.end();
        expect(Buffer.concat(written).equals(Buffer.concat(pieces))).toBe(true);
        for (const size of sizes) expect(size).toBeLessThanOrEqual(1024);
      }),
      { numRuns: 50 },
    );
  });

  it('reports a failed write at the next push, and settle() absorbs one still in flight', async () => {
    const failing: Sink = { write: () => Promise.reject(new Error('disk full')), end: () => Promise.resolve() };
    const out = new BatchWriter(failing, 4);
    await out.push(Buffer.alloc(4));
    await expect(out.push(Buffer.alloc(4))).rejects.toThrow('disk full');
    const again = new BatchWriter(failing, 4);
    await again.push(Buffer.alloc(4));
    await again.settle();
  });
});

describe('streamSink', () => {
  it('resolves a write only when the stream is done with the chunk, so the chunk can be reused', async () => {
    const taken: Buffer[] = [];
    let finishWrite: (() => void) | undefined;
    const stream = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        finishWrite = () => {
          taken.push(Buffer.from(chunk));
          callback();
        };
      },
    });
    const sink = streamSink(stream, { end: false });
    let resolved = false;
    const write = sink.write([Buffer.from('first')]).then(() => (resolved = true));
    await new Promise((resolve) => setImmediate(resolve));
    // The stream has room (5 bytes of 1024), but has not finished with the chunk.
    expect(resolved).toBe(false);
    finishWrite!();
    await write;
    expect(taken.map(String)).toEqual(['first']);
  });

  it('rejects a write that the stream fails', async () => {
    const stream = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error('EPIPE')) });
    stream.on('error', () => undefined);
    await expect(streamSink(stream, { end: false }).write([Buffer.from('x')])).rejects.toThrow('EPIPE');
  });

  it('with copy, hands the stream its own copy', async () => {
    const stream = new PassThrough();
    const sink = streamSink(stream, { end: true, copy: true });
    const chunk = Buffer.from('kept');
    await sink.write([chunk]);
    chunk.fill(0);
    expect((stream.read() as Buffer).toString()).toBe('kept');
  });
});

describe('ByteReader', () => {
  it('hands out exact byte counts from a source that reuses its buffers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 0, max: 5000 })
          .chain((length) =>
            fc.tuple(
              fc.constant(length),
              cutsOf(length),
              fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1 }),
            ),
          ),
        async ([length, cuts, sizes]) => {
          const data = randomBytes(length);
          const reader = new ByteReader(
            reusing(
              data,
              [...cuts].sort((a, b) => a - b),
            ),
            256,
          );
          const parts: Buffer[] = [];
          for (let turn = 0; ; turn += 1) {
            const part = await reader.read(sizes[turn % sizes.length]!);
            if (part.length === 0) break;
            parts.push(Buffer.from(part));
          }
          expect(Buffer.concat(parts).equals(data)).toBe(true);
          expect(reader.done).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('peeks without consuming, grows past its capacity when asked, and refuses to peek past the data', async () => {
    const data = randomBytes(1000);
    const reader = new ByteReader(reusing(data, [10, 300, 700]), 64);
    expect(await reader.fill(900)).toBeGreaterThanOrEqual(900);
    expect(reader.peek(900).equals(data.subarray(0, 900))).toBe(true);
    reader.skip(100);
    expect((await reader.read(900)).equals(data.subarray(100, 1000))).toBe(true);
    expect(reader.buffered).toBe(0);
    expect(() => reader.peek(1)).toThrow(RangeError);
  });
});

describe('readChunks', () => {
  it('yields the whole file through two alternating buffers', async () => {
    const dir = tempDir();
    const path = join(dir, 'data');
    // Chunks at least as large as Node's buffer pool have memory of their own (the pool is 8 KiB on Node 20 and
    // larger on newer versions); smaller ones would be slices of one shared pool and look like one buffer.
    const size = Math.max(8192, Buffer.poolSize);
    const data = randomBytes(4 * size + 1000);
    writeFileSync(path, data);
    const handle = await open(path, 'r');
    const seen = new Set<ArrayBufferLike>();
    const parts: Buffer[] = [];
    for await (const chunk of readChunks(handle, path, () => handle.close(), size)) {
      seen.add(chunk.buffer);
      parts.push(Buffer.from(chunk));
    }
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    expect(seen.size).toBe(2);
  });
});
