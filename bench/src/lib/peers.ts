import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Peer = { name: string; path: string } | { name: string; skipped: string };

/** A peer tool from the operating system's packages, or why it is skipped. */
export function findPeer(command: string, aptPackage: string): Peer {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  for (const dir of dirs) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return { name: command, path: candidate };
    } catch {
      // not in this directory
    }
  }
  return { name: command, skipped: `skipped: ${command} not installed (apt-get install ${aptPackage})` };
}
