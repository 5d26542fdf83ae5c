import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isAbsolute } from './archive-paths.js';

/** Linux's limit for one path lookup (MAXSYMLINKS), which the check follows too. */
const MAX_LINK_FOLLOWS = 40;

export type LinkVerdict = 'inside' | 'outside' | 'unverifiable' | 'loop';

/**
 * Where a symbolic link at `parent`/NAME pointing to `target` leads, under
 * `root`: followed through what exists there (the links extracted so far),
 * and lexically through what does not exist yet. It is "outside" when it goes
 * above the root; "unverifiable" when it goes up (..) after a path that does
 * not exist yet, since a later entry could make that path a link to anywhere
 * inside, from where ".." leaves; "loop" after 40 links.
 */
export function resolveLink(root: string, parent: readonly string[], target: string): LinkVerdict {
  const state = { stack: [...parent], missing: false, follows: 0 };
  const at = () => join(root, ...state.stack);
  const walk = (from: string): LinkVerdict => {
    if (isAbsolute(from)) return 'outside';
    for (const part of from.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (state.missing) return 'unverifiable';
        if (state.stack.length === 0) return 'outside';
        state.stack.pop();
        continue;
      }
      state.stack.push(part);
      if (state.missing) continue;
      const stats = lstatSync(at(), { throwIfNoEntry: false });
      if (!stats) state.missing = true;
      else if (stats.isSymbolicLink()) {
        state.follows += 1;
        if (state.follows > MAX_LINK_FOLLOWS) return 'loop';
        const inner = readlinkSync(at());
        // A link's target is relative to the directory holding the link.
        state.stack.pop();
        const verdict = walk(inner);
        if (verdict !== 'inside') return verdict;
      }
    }
    return 'inside';
  };
  return walk(target);
}
