import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { codes, truncated } from '../errors.js';
import { translateFsError } from '../io/fs-errors.js';
import type { JobMessage, WorkerMessage } from './crypt-worker.js';
import { NONE, Slot, batches, sharedState, type Job } from './job.js';
import { takeBatches } from './loop.js';

/** Beside this module in dist/parallel/ and, bundled, in bundle/ (scripts/bundle.mjs). */
const WORKER_URL = new URL('./crypt-worker.js', import.meta.url);

/**
 * A worker's JavaScript heap holds a few small objects (its buffers live
 * outside it): a small young generation is collected often and keeps the
 * isolate at about 10 MiB resident, which leaves room in 64 MiB.
 */
const LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 };

/** Each worker is another V8 isolate (about 5 MiB resident) for another core; more than 3 would not fit 64 MiB. */
const MAX_WORKERS = 3;

export interface RunOptions {
  /** For errors about the input file. */
  label: string;
  /** Worker threads beside the main thread (default: one per other core, at most 3). */
  workers?: number;
  /** Input bytes done so far, after every batch. */
  onProgress?: ((bytes: number) => void) | undefined;
  /** false: only the workers take batches (tests: a killed worker then surely leaves work undone). */
  mainThread?: boolean;
  /** Told each worker as it is created (tests: to kill one). */
  onWorker?: (worker: Worker) => void;
}

export interface RunResult {
  /** The lowest segment that did not open, when one did not (op "open" only). */
  failed?: number;
}

export function defaultWorkers(): number {
  return Math.max(0, Math.min(availableParallelism() - 1, MAX_WORKERS));
}

/** Workers started ahead of their job (prewarm), taken by the next runJob. */
const warm: Worker[] = [];

/**
 * Start the workers now, while the command is still loading and reading
 * keys: a worker's bootstrap costs about 60 ms, a fifth of encrypting
 * 256 MiB. They wait for a job; unused (the command streams after all),
 * they do not keep the process alive.
 */
export function prewarm(count = defaultWorkers()): readonly Worker[] {
  while (warm.length < count) {
    const worker = startWorker();
    worker.unref();
    // An idle worker that fails to start must not take the process down; runJob sees its exit.
    worker.on('error', () => undefined);
    warm.push(worker);
  }
  return warm;
}

/** A prewarmed worker that is still alive (threadId is -1 once a worker has exited). */
function takeWarm(): Worker | undefined {
  for (let worker = warm.shift(); worker; worker = warm.shift()) if (worker.threadId !== -1) return worker;
  return undefined;
}

function startWorker(): Worker {
  return new Worker(WORKER_URL, { stdout: false, resourceLimits: LIMITS });
}

/**
 * Run a job on the main thread and on worker threads at once, taking
 * batches from a shared counter, so that a worker still starting (tens of
 * milliseconds) costs nothing: the main thread has begun. Resolves once
 * every batch has settled. Any failure (a worker's error or unexpected
 * exit, a read error) rejects; either way, by the time this returns or
 * throws, the main thread's loop has stopped and every worker has been
 * terminated, so nothing writes to the output after its owner removes it.
 */
export async function runJob(job: Job, options: RunOptions): Promise<RunResult> {
  const state = sharedState();
  const total = batches(job);
  const count = Math.min(options.workers ?? defaultWorkers(), Math.max(0, total - 1));
  const report = () => options.onProgress?.(Number(Atomics.load(state, Slot.bytes)));
  let stopping = false;
  const workers: Worker[] = [];
  let mine: Promise<void> = Promise.resolve();
  try {
    const settled = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (Atomics.load(state, Slot.settled) >= BigInt(total)) resolve();
      };
      for (let i = 0; i < count; i += 1) {
        const worker = takeWarm() ?? startWorker();
        worker.ref();
        options.onWorker?.(worker);
        workers.push(worker);
        let finished = false;
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'batch') {
            report();
            check();
          } else if (message.type === 'done') finished = true;
          else reject(rebuild(message, options.label));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (!finished && !stopping) reject(new Error(`a worker thread stopped unexpectedly (exit code ${code})`));
        });
        worker.postMessage({ job, state } satisfies JobMessage);
      }
      if (options.mainThread === false) return;
      mine = takeBatches(
        job,
        state,
        () => {
          report();
          check();
        },
        () => stopping,
      );
      mine.catch(reject);
    });
    await settled;
    const failed = Atomics.load(state, Slot.failed);
    return failed === NONE ? {} : { failed: Number(failed) };
  } finally {
    stopping = true;
    await mine.catch(() => undefined);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** A worker's error as the typed error it was (errors do not survive the message channel as classes). */
function rebuild(message: Extract<WorkerMessage, { type: 'error' }>, label: string): Error {
  if (message.code === codes.truncated) return truncated();
  const error = Object.assign(new Error(message.message), message.code ? { code: message.code } : {});
  const translated = translateFsError(error, label);
  return translated instanceof Error ? translated : error;
}
