import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Temporary outputs are named `.NAME.filecrypt-PID-RANDOM.tmp`, beside the
 * output. The signal handlers and error paths remove them, but nothing can
 * after SIGKILL, a crash or a power cut; then the pid in the name tells a
 * later run in the same directory that the writer is gone and the file (or
 * directory) can be removed. Pids are per machine: a directory shared
 * between machines or pid namespaces could hold a live writer's file whose
 * pid means nothing here, which is why only the current user's are touched.
 */
const PATTERN = /^\..*\.filecrypt-(\d+)-[0-9a-f]{12}\.tmp$/s;
/** Keeps the temporary name within NAME_MAX (255 bytes) whatever the output's name. */
const NAME_BYTES = 64;

export function temporaryPath(target: string): string {
  let name = '';
  for (const char of basename(target)) {
    if (Buffer.byteLength(name + char) > NAME_BYTES) break;
    name += char;
  }
  return join(dirname(target), `.${name}.filecrypt-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

export interface StaleTemporary {
  path: string;
  pid: number;
}

/** Remove the temporary files and directories in `dir` whose writer is no longer running; returns them. */
export function removeStaleTemporaries(dir: string): StaleTemporary[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: StaleTemporary[] = [];
  for (const name of names) {
    const pid = Number(PATTERN.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    const path = join(dir, name);
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (!stats || stats.uid !== process.getuid?.()) continue;
    // rm does not follow a symbolic link, here or inside a directory.
    rmSync(path, { recursive: true, force: true });
    removed.push({ path, pid });
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
