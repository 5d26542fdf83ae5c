import { readSync, writeSync } from 'node:fs';
import type { FileKeys } from '../crypto/keys.js';
import { openSegment, sealSegment } from '../crypto/segment.js';
import { checksumMismatch, corruptSegment, tooLarge } from '../errors.js';
import { MAX_SEGMENT_INDEX, METADATA_SEGMENT_BYTES, TAG_BYTES } from '../format/constants.js';
import type { Header } from '../format/header.js';
import { decodeMetadata, type Metadata } from '../format/metadata.js';
import { positionalSink, positionalSource, type PositionalSource } from '../io/positional.js';
import type { ByteReader } from '../io/reader.js';
import type { Sink } from '../io/sink.js';
import { BATCH_SEGMENTS, POSITIONAL_MIN_BYTES, type Job } from '../parallel/job.js';
import { runJob } from '../parallel/pool.js';

export { POSITIONAL_MIN_BYTES };

export interface Positional {
  source: PositionalSource;
  outFd: number;
}

/** A regular file in and an AtomicFile out (io/positional.ts), big enough to be worth it; else stream. */
export function positionalPair(chunks: object, sink: Sink): Positional | undefined {
  const source = positionalSource(chunks);
  const target = positionalSink(sink);
  if (!source || !target || source.size < POSITIONAL_MIN_BYTES) return undefined;
  return { source, outFd: target.fd };
}

/**
 * Encrypt a whole regular file by offsets: the header at 0, data segment i
 * at header + i·(segment + tag), sealed by as many threads as there are
 * cores, then the final (metadata) segment. The same bytes as streaming
 * writes: full data segments, a short last one if any, never an empty one.
 */
export async function sealPositional(
  io: Positional,
  options: { head: Buffer[]; keys: FileKeys; header: Header; metadata: (size: number) => Buffer; label: string },
): Promise<{ plaintextBytes: number; segments: number }> {
  const { head, keys, header } = options;
  const size = io.source.size;
  const segmentSize = 2 ** header.segmentExponent;
  const segments = Math.ceil(size / segmentSize);
  if (segments > MAX_SEGMENT_INDEX) throw tooLarge();
  let at = 0;
  for (const part of head) at += writeAll(io.outFd, part, at);
  const job: Job = {
    op: 'seal',
    cipher: { kind: 'native', key: keys.payloadKey, noncePrefix: header.noncePrefix },
    inFd: io.source.fd,
    outFd: io.outFd,
    inOffset: 0,
    outOffset: at,
    segmentSize,
    segments,
    plaintextBytes: size,
    finalIndex: -1,
    batchSegments: BATCH_SEGMENTS,
  };
  await runJob(job, { label: options.label, onProgress: io.source.onProgress });
  at += size + segments * TAG_BYTES;
  for (const part of sealSegment(keys.payloadKey, header.noncePrefix, segments, true, options.metadata(size))) {
    at += writeAll(io.outFd, part, at);
  }
  return { plaintextBytes: size, segments: segments + 1 };
}

/**
 * Decrypt the rest of a regular file by offsets, or return undefined (having
 * written nothing) to let the streaming reader handle it. The file size
 * fixes the layout; the final segment is opened first, where the layout puts
 * it. If it does not authenticate there, the file was cut, extended or
 * damaged, and the streaming reader, which tells those apart, takes over.
 * If it holds metadata version 1, the plaintext's SHA-256 must be checked,
 * a sequential pass: streaming again. Otherwise the data segments are
 * opened in parallel, and the first one that does not open is reported.
 */
export async function openPositional(
  reader: ByteReader,
  header: Header,
  keys: FileKeys,
  sink: Sink,
): Promise<Metadata | undefined> {
  const source = reader.positional;
  const target = positionalSink(sink);
  const start = reader.consumed;
  if (!source || !target || source.size - start < POSITIONAL_MIN_BYTES) return undefined;
  const segmentSize = 2 ** header.segmentExponent;
  const full = segmentSize + TAG_BYTES;
  const data = source.size - start - METADATA_SEGMENT_BYTES;
  const short = data % full;
  if (data < 0 || (short > 0 && short <= TAG_BYTES)) return undefined;
  const segments = Math.floor(data / full) + (short > 0 ? 1 : 0);
  const sealedFinal = Buffer.alloc(METADATA_SEGMENT_BYTES);
  if (readSync(source.fd, sealedFinal, 0, sealedFinal.length, start + data) !== sealedFinal.length) return undefined;
  const opened = openSegment(keys.payloadKey, header.noncePrefix, segments, true, sealedFinal);
  if (!opened || opened[0] !== 2) return undefined;
  const metadata = decodeMetadata(opened);
  const plaintextBytes = data - segments * TAG_BYTES;
  if (metadata.size !== plaintextBytes) throw checksumMismatch('size');
  const job: Job = {
    op: 'open',
    cipher: { kind: 'native', key: keys.payloadKey, noncePrefix: header.noncePrefix },
    inFd: source.fd,
    outFd: target.fd,
    inOffset: start,
    outOffset: 0,
    segmentSize,
    segments,
    plaintextBytes,
    finalIndex: -1,
    batchSegments: BATCH_SEGMENTS,
  };
  const progress = source.onProgress;
  const result = await runJob(job, { label: 'input', onProgress: progress && ((bytes) => progress(start + bytes)) });
  if (result.failed !== undefined) throw corruptSegment(result.failed);
  source.onProgress?.(source.size);
  return metadata;
}

function writeAll(fd: number, buffer: Buffer, position: number): number {
  let done = 0;
  while (done < buffer.length) done += writeSync(fd, buffer, done, buffer.length - done, position + done);
  return buffer.length;
}
