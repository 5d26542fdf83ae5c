// A build output folder, written beside its final place and swapped in, so that a process started during a rebuild
// reads a whole build (the old or the new), never half of one.
import { renameSync, rmSync } from 'node:fs';

/** The empty folder to build into, beside `outdir`. */
export function freshDir(outdir) {
  const fresh = `${outdir}.${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  return fresh;
}

/** Put the finished `fresh` folder in place of `outdir`, then delete the old one. */
export function swapIn(fresh, outdir) {
  const stale = `${fresh}.old`;
  try {
    renameSync(outdir, stale);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  renameSync(fresh, outdir);
  rmSync(stale, { recursive: true, force: true });
}
