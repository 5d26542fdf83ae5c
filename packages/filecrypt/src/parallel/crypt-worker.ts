import { parentPort, workerData } from 'node:worker_threads';
import type { Job } from './job.js';
import { takeBatches } from './loop.js';

/**
 * A worker thread of the parallel path (pool.ts): it takes batches of the
 * job until none is left, reading and writing the files by offset itself,
 * so that no segment crosses threads; it only says when a batch is done.
 */
export type WorkerMessage = { type: 'batch' } | { type: 'done' } | { type: 'error'; message: string; code?: string };

const { job, state } = workerData as { job: Job; state: BigInt64Array };
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

try {
  await takeBatches(job, state, () => post({ type: 'batch' }));
  post({ type: 'done' });
} catch (error) {
  const { message, code } = error as { message?: string; code?: string };
  post({ type: 'error', message: String(message ?? error), ...(typeof code === 'string' ? { code } : {}) });
}
