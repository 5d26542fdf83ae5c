/**
 * One pass over a file's segments, split into batches that any thread can
 * take: under STREAM every segment is sealed or opened alone (its index and
 * final flag are in its nonce), and with a regular file on both sides every
 * segment's place in the input and the output is known in advance. Plain
 * data, so that it crosses to worker threads by structured clone.
 */
export interface Job {
  op: 'seal' | 'open';
  cipher: CipherSpec;
  inFd: number;
  outFd: number;
  /** Where segment 0 starts in the input and in the output. */
  inOffset: number;
  outOffset: number;
  /** Plaintext bytes per full segment. */
  segmentSize: number;
  /** Segments in the job, and the plaintext bytes they hold (the last may be short). */
  segments: number;
  plaintextBytes: number;
  /** The index whose nonce carries the final flag (age's last chunk), or -1 (native data segments). */
  finalIndex: number;
  /** Segments per batch: the unit a thread takes at a time. */
  batchSegments: number;
}

/** The payload cipher: native AES-256-GCM segments, or age's ChaCha20-Poly1305 chunks. */
export type CipherSpec =
  { kind: 'native'; key: Uint8Array; noncePrefix: Uint8Array } | { kind: 'age'; key: Uint8Array };

export const TAG = 16;
/**
 * 4 segments of 64 KiB: 256 KiB per read and per write. Measured side by
 * side on 256 MiB (one worker, collections every 512 KiB, loop.ts): 8
 * segments encrypt in 437 instead of 490 ms, but decryption then peaks at
 * 64.2 MiB, over the budget; 4 segments peak at 62.4 (enc) and 63.2 MiB (dec).
 */
export const BATCH_SEGMENTS = 4;

/**
 * Below this, streaming is as fast: a worker takes tens of milliseconds to
 * start, and the streaming path is the one every small test exercises.
 */
export const POSITIONAL_MIN_BYTES = 4 * 1024 * 1024;

export function batches(job: Job): number {
  return Math.ceil(job.segments / job.batchSegments);
}

export function plaintextLength(job: Job, index: number): number {
  return Math.min(job.segmentSize, job.plaintextBytes - index * job.segmentSize);
}

/** Offsets of segment `index` in the job's input and output. */
export function offsets(job: Job, index: number): { input: number; output: number } {
  const plain = index * job.segmentSize;
  const sealed = index * (job.segmentSize + TAG);
  return job.op === 'seal'
    ? { input: job.inOffset + plain, output: job.outOffset + sealed }
    : { input: job.inOffset + sealed, output: job.outOffset + plain };
}

/**
 * Slots of the state shared by every thread of a job (a BigInt64Array over a
 * SharedArrayBuffer): the next batch to take, the lowest segment that failed
 * to open (or NONE), input bytes done (progress), and batches settled (done,
 * or skipped after a failure).
 */
export const Slot = { next: 0, failed: 1, bytes: 2, settled: 3 } as const;
export const NONE = 2n ** 62n;

export function sharedState(): BigInt64Array {
  const state = new BigInt64Array(new SharedArrayBuffer(4 * 8));
  state[Slot.failed] = NONE;
  return state;
}
