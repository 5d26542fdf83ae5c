import { statSync } from 'node:fs';
import { POSITIONAL_MIN_BYTES } from './job.js';
import { prewarm } from './pool.js';

/**
 * Start the worker threads at once when a run will likely take the parallel
 * path (a regular file of at least POSITIONAL_MIN_BYTES in, a file out), so
 * that their bootstrap overlaps the command's own loading. A guess only: the
 * engine still decides, and an unused worker costs a few milliseconds of the
 * other core and does not keep the process alive.
 */
export function prewarmFor(input: string | undefined, output: string | undefined): void {
  if (input === undefined || input === '-' || output === undefined || output === '-') return;
  const stats = statSync(input, { throwIfNoEntry: false });
  if (stats?.isFile() && stats.size >= POSITIONAL_MIN_BYTES) prewarm();
}
