import { GarbageBudget } from '../io/memory.js';
import { batchBuffers, cipherFor, runBatch, skippable, takeBatch } from './batch.js';
import { Slot, batches, type Job } from './job.js';

/**
 * What every thread of a job runs, the main thread included: take the next
 * batch, run it (or skip it after a failure), count it as settled, and give
 * the event loop a turn, which lets a worker be terminated between batches,
 * the main thread answer signals and messages, and both free the cipher
 * outputs (see GarbageBudget: a young-generation collection every 256 KiB).
 */
export async function takeBatches(
  job: Job,
  state: BigInt64Array,
  afterBatch: () => void,
  stopped: () => boolean = () => false,
): Promise<void> {
  const total = batches(job);
  const cipher = cipherFor(job.cipher);
  const buffers = batchBuffers(job);
  // Every 256 KiB (half the streaming path's interval): each thread's cipher outputs go to its own malloc arena,
  // and freeing them sooner keeps the arenas small; measured, 1.5 MiB less at the peak for no measurable time.
  const garbage = new GarbageBudget(256 * 1024);
  for (;;) {
    if (stopped()) return;
    const batch = takeBatch(state, total);
    if (batch === undefined) return;
    const bytes = skippable(job, state, batch) ? 0 : runBatch(job, cipher, state, batch, buffers);
    Atomics.add(state, Slot.bytes, BigInt(bytes));
    Atomics.add(state, Slot.settled, 1n);
    afterBatch();
    await garbage.add(bytes);
  }
}
