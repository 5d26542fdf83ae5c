import { readSync, writeSync } from 'node:fs';
import { chunkNonce } from '../age/chunk.js';
import { openInto, sealInto, type Aead } from '../crypto/aead.js';
import { segmentNonce } from '../format/nonce.js';
import { truncated } from '../errors.js';
import { NONE, Slot, TAG, offsets, plaintextLength, type CipherSpec, type Job } from './job.js';

/** Seal into `out` at `offset`: returns the bytes written. */
type Seal = (index: number, final: boolean, plaintext: Buffer, out: Buffer, offset: number) => number;
/** Open into `out` at `offset`: the plaintext length, or -1 if the tag does not verify. */
type Open = (index: number, final: boolean, sealed: Buffer, out: Buffer, offset: number) => number;

export interface Cipher {
  seal: Seal;
  open: Open;
}

/** The functions for the job's cipher, rebuilt in each thread from the plain key bytes. */
export function cipherFor(spec: CipherSpec): Cipher {
  const key = Buffer.from(spec.key);
  const prefix = spec.kind === 'native' ? Buffer.from(spec.noncePrefix) : undefined;
  const aead: Aead = prefix ? 'aes-256-gcm' : 'chacha20-poly1305';
  const nonce = (index: number, final: boolean) =>
    prefix ? segmentNonce(prefix, index, final) : chunkNonce(index, final);
  return {
    seal: (index, final, plaintext, out, offset) => sealInto(aead, key, nonce(index, final), plaintext, out, offset),
    open: (index, final, sealed, out, offset) => openInto(aead, key, nonce(index, final), sealed, out, offset),
  };
}

/** A thread's two buffers, reused for every batch it takes. */
export interface BatchBuffers {
  input: Buffer;
  output: Buffer;
}

export function batchBuffers(job: Job): BatchBuffers {
  const sealed = job.batchSegments * (job.segmentSize + TAG);
  return { input: Buffer.allocUnsafe(sealed), output: Buffer.allocUnsafe(sealed) };
}

/**
 * Seal or open one batch: one positional read, each segment through the
 * cipher into the output buffer, one positional write. Returns the input
 * bytes consumed. A segment that does not open stops the batch and lowers
 * the shared "failed" slot to its index; nothing of the batch is written,
 * and the output is removed by its owner.
 */
export function runBatch(job: Job, cipher: Cipher, state: BigInt64Array, batch: number, buffers: BatchBuffers): number {
  const first = batch * job.batchSegments;
  const last = Math.min(first + job.batchSegments, job.segments);
  const start = offsets(job, first);
  const end = last === job.segments ? endOffsets(job) : offsets(job, last);
  const inLength = end.input - start.input;
  readFully(job.inFd, buffers.input, inLength, start.input);
  let inAt = 0;
  let outAt = 0;
  for (let index = first; index < last; index += 1) {
    const plain = plaintextLength(job, index);
    const final = index === job.finalIndex;
    if (job.op === 'seal') {
      outAt += cipher.seal(index, final, buffers.input.subarray(inAt, inAt + plain), buffers.output, outAt);
      inAt += plain;
    } else {
      const opened = cipher.open(index, final, buffers.input.subarray(inAt, inAt + plain + TAG), buffers.output, outAt);
      if (opened < 0) {
        lowerFailed(state, BigInt(index));
        return inLength;
      }
      outAt += opened;
      inAt += plain + TAG;
    }
  }
  writeFully(job.outFd, buffers.output, outAt, start.output);
  return inLength;
}

/** Where the job's input and output end (after its last segment). */
function endOffsets(job: Job): { input: number; output: number } {
  const sealedBytes = job.plaintextBytes + job.segments * TAG;
  return job.op === 'seal'
    ? { input: job.inOffset + job.plaintextBytes, output: job.outOffset + sealedBytes }
    : { input: job.inOffset + sealedBytes, output: job.outOffset + job.plaintextBytes };
}

/** Take batches until none is left; after a failure, later batches are only counted as settled. */
export function takeBatch(state: BigInt64Array, total: number): number | undefined {
  const batch = Number(Atomics.add(state, Slot.next, 1n));
  return batch < total ? batch : undefined;
}

export function skippable(job: Job, state: BigInt64Array, batch: number): boolean {
  const failed = Atomics.load(state, Slot.failed);
  return failed !== NONE && BigInt(batch * job.batchSegments) > failed;
}

function lowerFailed(state: BigInt64Array, index: bigint): void {
  for (;;) {
    const seen = Atomics.load(state, Slot.failed);
    if (seen <= index || Atomics.compareExchange(state, Slot.failed, seen, index) === seen) return;
  }
}

/** The file was measured when opened; fewer bytes now means it shrank under us. */
function readFully(fd: number, buffer: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) throw truncated();
    done += read;
  }
}

function writeFully(fd: number, buffer: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buffer, done, length - done, position + done);
}
