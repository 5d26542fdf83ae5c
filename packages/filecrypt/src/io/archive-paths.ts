import { posix } from 'node:path';

const ENTRY_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/**
 * Why an entry is refused on its own, lexically, or undefined: absolute
 * paths, "..", types other than files, directories and links, absolute link
 * targets and targets that leave the root as written. Links that leave it
 * through other links are caught by the extraction, which sees them.
 */
export function entryProblem(path: string, entry: { type: string; linkpath?: string | undefined }): string | undefined {
  if (isAbsolute(path)) return `refusing archive entry with an absolute path: ${path}`;
  if (escapes(path)) return `refusing archive entry outside the output directory: ${path}`;
  if (!ENTRY_TYPES.has(entry.type)) return `refusing archive entry of type ${entry.type}: ${path}`;
  const link = entry.linkpath;
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
    if (!link || isAbsolute(link)) return `refusing link with an absolute target: ${path} -> ${link ?? ''}`;
    // A symlink's target is relative to its own directory; a hard link's to the archive root.
    const target = entry.type === 'SymbolicLink' ? posix.join(posix.dirname(path), link) : link;
    if (escapes(target) || (entry.type === 'Link' && escapes(link))) {
      return `refusing link that points outside the output directory: ${path} -> ${link}`;
    }
  }
  return undefined;
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path);
}

function escapes(path: string): boolean {
  const normal = posix.normalize(path.replaceAll('\\', '/'));
  return normal === '..' || normal.startsWith('../') || path.split(/[\\/]/).includes('..');
}
