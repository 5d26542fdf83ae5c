import type { Sink } from '../src/io/sink.js';

/** Shared by the age unit tests: one buffer as a source, and a sink that keeps what it is given. */
export async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield await Promise.resolve(bytes);
}

/** The bytes one at a time, to cross every chunk boundary a parser may have. */
export async function* byteByByte(bytes: Buffer): AsyncGenerator<Buffer> {
  for (const byte of bytes) yield await Promise.resolve(Buffer.from([byte]));
}

export function collectingSink(): Sink & { bytes(): Buffer; ended(): boolean } {
  const chunks: Buffer[] = [];
  let ended = false;
  return {
    write(parts) {
      for (const part of parts) chunks.push(Buffer.from(part));
      return Promise.resolve();
    },
    end() {
      ended = true;
      return Promise.resolve();
    },
    bytes: () => Buffer.concat(chunks),
    ended: () => ended,
  };
}

/** Deterministic "randomness" for known keys and nonces. */
export function counterRandom(seed = 1): (n: number) => Buffer {
  let next = seed;
  return (n) => Buffer.from(Array.from({ length: n }, () => (next++ * 37) & 0xff));
}

/** The error a promise rejects with, for asserting its code and message exactly. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('expected a failure');
}
