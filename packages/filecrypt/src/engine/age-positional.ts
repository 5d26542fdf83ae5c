import { readSync, writeSync } from 'node:fs';
import { AGE_CHUNK_BYTES, AGE_FULL_CHUNK_BYTES } from '../age/chunk.js';
import { AGE_STREAM_NONCE_BYTES, payloadKey, plaintextSizeOf } from '../age/stream.js';
import { positionalSink } from '../io/positional.js';
import type { ByteReader } from '../io/reader.js';
import type { Sink } from '../io/sink.js';
import { BATCH_SEGMENTS, type Job } from '../parallel/job.js';
import { runJob } from '../parallel/pool.js';
import { POSITIONAL_MIN_BYTES, positionalPair } from './positional.js';

/**
 * age's STREAM payload by offsets, on every core, for a binary (unarmored)
 * age file from a regular file to an AtomicFile; the same bytes as
 * src/age/stream.ts writes. The file size says which chunk is the last, so
 * the final flag needs no look-ahead: an input of a multiple of 64 KiB ends
 * with a full final chunk. Returns the plaintext size, or undefined (nothing
 * written) when the streaming path must do it.
 */
export async function sealAgePositional(
  chunks: object,
  sink: Sink,
  head: Buffer,
  fileKey: Buffer,
  nonce: Buffer,
): Promise<number | undefined> {
  const io = positionalPair(chunks, sink);
  if (!io) return undefined;
  const size = io.source.size;
  const segments = Math.max(1, Math.ceil(size / AGE_CHUNK_BYTES));
  writeAll(io.outFd, head, 0);
  writeAll(io.outFd, nonce, head.length);
  const job: Job = {
    op: 'seal',
    cipher: { kind: 'age', key: payloadKey(fileKey, nonce) },
    inFd: io.source.fd,
    outFd: io.outFd,
    inOffset: 0,
    outOffset: head.length + nonce.length,
    segmentSize: AGE_CHUNK_BYTES,
    segments,
    plaintextBytes: size,
    finalIndex: segments - 1,
    batchSegments: BATCH_SEGMENTS,
  };
  await runJob(job, { label: 'input', onProgress: io.source.onProgress });
  return size;
}

/**
 * Open the payload after a verified header by offsets, or return undefined
 * for the streaming reader to do it: when the source or sink is not a file,
 * when the length is not one a valid STREAM can have, or when a chunk does
 * not open. The streaming reader then starts from the payload again,
 * overwriting what was written (it writes from offset 0, where the positional
 * writes leave the descriptor), and names the failure as age does: a
 * corrupt chunk, trailing data or truncation. Only a failure pays twice.
 */
export async function openAgePositional(reader: ByteReader, fileKey: Buffer, sink: Sink): Promise<number | undefined> {
  const source = reader.positional;
  const target = positionalSink(sink);
  const start = reader.consumed;
  if (!source || !target || source.size - start < POSITIONAL_MIN_BYTES) return undefined;
  const payloadBytes = source.size - start;
  const plaintextBytes = plaintextSizeOf(payloadBytes);
  if (plaintextBytes === undefined) return undefined;
  const nonce = Buffer.alloc(AGE_STREAM_NONCE_BYTES);
  if (readSync(source.fd, nonce, 0, nonce.length, start) !== nonce.length) return undefined;
  const segments = Math.ceil((payloadBytes - AGE_STREAM_NONCE_BYTES) / AGE_FULL_CHUNK_BYTES);
  const job: Job = {
    op: 'open',
    cipher: { kind: 'age', key: payloadKey(fileKey, nonce) },
    inFd: source.fd,
    outFd: target.fd,
    inOffset: start + AGE_STREAM_NONCE_BYTES,
    outOffset: 0,
    segmentSize: AGE_CHUNK_BYTES,
    segments,
    plaintextBytes,
    finalIndex: segments - 1,
    batchSegments: BATCH_SEGMENTS,
  };
  const progress = source.onProgress;
  const base = start + AGE_STREAM_NONCE_BYTES;
  const result = await runJob(job, { label: 'input', onProgress: progress && ((bytes) => progress(base + bytes)) });
  if (result.failed !== undefined) return undefined;
  await reader.close();
  return plaintextBytes;
}

function writeAll(fd: number, buffer: Buffer, position: number): void {
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done, buffer.length - done, position + done);
}
