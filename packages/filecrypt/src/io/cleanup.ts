import { rmSync } from 'node:fs';

/**
 * Temporary files and directories that must not survive the process. A signal
 * handler (in cli.ts) removes them synchronously before exiting; normal and
 * error paths remove them themselves and unregister.
 */
const pending = new Set<string>();
/** Other undo steps, such as leaving the terminal's raw mode. */
const undo = new Set<() => void>();

export function registerUndo(step: () => void): () => void {
  undo.add(step);
  return () => undo.delete(step);
}

export function registerTemporary(path: string): void {
  pending.add(path);
}

export function unregisterTemporary(path: string): void {
  pending.delete(path);
}

export function removeTemporary(path: string): void {
  rmSync(path, { recursive: true, force: true });
  pending.delete(path);
}

export function removeAllTemporarySync(): void {
  for (const step of [...undo]) step();
  undo.clear();
  for (const path of [...pending]) removeTemporary(path);
}
