import { parentPort } from 'node:worker_threads';
import type { Job } from './job.js';
import { takeBatches } from './loop.js';

/**
 * A worker thread of the parallel path (pool.ts): it waits for a job, which
 * lets it be started (tens of milliseconds of Node bootstrap) while the
 * command is still loading, then takes batches until none is left, reading
 * and writing the files by offset itself, so that no segment crosses
 * threads; it only says when a batch is done.
 */
export type WorkerMessage = { type: 'batch' } | { type: 'done' } | { type: 'error'; message: string; code?: string };
export interface JobMessage {
  job: Job;
  state: BigInt64Array;
}

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

parentPort!.once('message', ({ job, state }: JobMessage) => {
  takeBatches(job, state, () => post({ type: 'batch' })).then(
    () => post({ type: 'done' }),
    (error: unknown) => {
      const { message, code } = error as { message?: string; code?: string };
      post({ type: 'error', message: String(message ?? error), ...(typeof code === 'string' ? { code } : {}) });
    },
  );
});
