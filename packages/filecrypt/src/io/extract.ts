import {
  closeSync,
  constants,
  fchmodSync,
  futimesSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  symlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { unsafeArchive } from '../errors.js';
import { DirectoryFixes } from './directory-fixes.js';
import { entryProblem } from './archive-paths.js';
import { resolveLink } from './link-check.js';
import type { TarEntry, TarHandler } from './untar.js';

const FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const DIRECTORY_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/**
 * Writes a tar stream's entries under `root` (an empty directory of ours,
 * 0700, so nobody else can change it meanwhile), synchronously and in order.
 *
 * - Nothing is written through a symbolic link: files are created with
 *   O_CREAT|O_EXCL|O_NOFOLLOW, and an entry whose parent is a link the archive
 *   made is refused, as is an entry that would replace an earlier one.
 * - A symbolic link is refused if its target, followed through the links
 *   already extracted, leaves `root` (as GNU tar and libarchive resolve them);
 *   and if it goes up (..) after a path that does not exist yet, since a later
 *   entry could make that path a link. Paths that exist never change later
 *   (nothing is replaced), so a link checked once stays inside.
 * - Hard links may only point to files extracted before them.
 * - Modes are kept without setuid, setgid and sticky bits unless
 *   `preservePermissions`; owners are never taken from the archive.
 * Directories get their modes and mtimes at the end (DirectoryFixes).
 */
export class Extraction implements TarHandler {
  /** The file being written, with the mode and mtime it gets when its data is complete. */
  private fd: number | undefined;
  private pendingMode = 0o600;
  private pendingMtime: Date | undefined;
  private readonly fixes = new DirectoryFixes();
  /** The parent directory verified last: most entries share it. */
  private checkedParent = '';
  root = false;

  constructor(
    private readonly dir: string,
    private readonly options: { preservePermissions: boolean },
  ) {}

  entry(entry: TarEntry): void {
    const problem = entryProblem(entry.path, entry);
    if (problem) throw unsafeArchive(problem);
    const parts = splitPath(entry.path);
    if (parts.length === 0) {
      if (entry.type !== 'Directory') throw refuse('archive entry that replaces the output directory', entry.path);
      this.root = true;
      this.fixes.add('', this.mode(entry.mode), entry.mtime);
      return;
    }
    this.makeParents(parts.slice(0, -1), entry.path);
    const path = this.at(parts);
    if (entry.type === 'Directory') this.directory(parts, entry);
    else if (entry.type === 'SymbolicLink') this.symlink(parts, entry);
    else if (entry.type === 'Link') this.hardLink(path, entry);
    else this.file(path, entry);
  }

  data(chunk: Buffer): void {
    // A link's header may claim a body; it is skipped.
    if (this.fd === undefined) return;
    for (let offset = 0; offset < chunk.length;) offset += writeSync(this.fd, chunk, offset);
  }

  entryEnd(): void {
    // Only a file entry holds a descriptor; every other entry is finished by entry().
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fchmodSync(fd, this.pendingMode);
      if (this.pendingMtime) futimesSync(fd, new Date(), this.pendingMtime);
    } finally {
      closeSync(fd);
    }
  }

  /** After the last entry: directory modes and mtimes, children before parents. */
  finish(): void {
    for (const fix of this.fixes.deepestFirst()) {
      const fd = openSync(join(this.dir, fix.path), DIRECTORY_FLAGS);
      try {
        fchmodSync(fd, fix.mode);
        if (fix.mtime) futimesSync(fd, new Date(), fix.mtime);
      } finally {
        closeSync(fd);
      }
    }
  }

  /** On failure: release the open file, if any; the caller removes the whole directory. */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private file(path: string, entry: TarEntry): void {
    this.fd = this.create(() => openSync(path, FILE_FLAGS, 0o600), entry.path);
    this.pendingMode = this.mode(entry.mode);
    this.pendingMtime = entry.mtime;
  }

  private directory(parts: string[], entry: TarEntry): void {
    const stats = lstatSync(this.at(parts), { throwIfNoEntry: false });
    if (stats && !stats.isDirectory()) throw refuse('archive entry that replaces an earlier one', entry.path);
    if (!stats) mkdirSync(this.at(parts), { mode: 0o700 });
    this.fixes.add(parts.join('/'), this.mode(entry.mode), entry.mtime);
  }

  private symlink(parts: string[], entry: TarEntry): void {
    const target = entry.linkpath!;
    const verdict = resolveLink(this.dir, parts.slice(0, -1), target);
    if (verdict === 'outside') throw refuse('link that points outside the output directory', link(entry));
    if (verdict === 'unverifiable') throw refuse('link that goes up (..) from a path not extracted yet', link(entry));
    if (verdict === 'loop') throw refuse('link with too many levels of symbolic links', link(entry));
    const path = this.at(parts);
    this.create(() => symlinkSync(target, path), entry.path);
    if (entry.mtime) lutimesSync(path, new Date(), entry.mtime);
  }

  private hardLink(path: string, entry: TarEntry): void {
    const targetParts = splitPath(entry.linkpath!);
    let stats: Stats | undefined;
    for (let depth = 1; depth <= targetParts.length; depth += 1) {
      stats = lstatSync(this.at(targetParts.slice(0, depth)), { throwIfNoEntry: false });
      if (depth < targetParts.length && stats?.isSymbolicLink())
        throw refuse('link through a symbolic link', link(entry));
    }
    if (!stats?.isFile()) {
      throw refuse('hard link to something that is not a file extracted before it', link(entry));
    }
    this.create(() => linkSync(this.at(targetParts), path), entry.path);
  }

  /** Create the missing parents (0755 less the umask; the root is 0700) and refuse links or files among them. */
  private makeParents(parts: string[], entryPath: string): void {
    const key = parts.join('/');
    if (key === this.checkedParent) return;
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const path = this.at(parts.slice(0, depth));
      const stats = lstatSync(path, { throwIfNoEntry: false });
      if (!stats) mkdirSync(path, { mode: 0o755 });
      else if (stats.isSymbolicLink()) throw refuse('archive entry through a symbolic link', entryPath);
      else if (!stats.isDirectory()) throw refuse('archive entry inside a file', entryPath);
    }
    this.checkedParent = key;
  }

  /** Run a create step; EEXIST means an earlier entry is there, which is never replaced. */
  private create<T>(step: () => T, entryPath: string): T {
    try {
      return step();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw refuse('archive entry that replaces an earlier one', entryPath);
      }
      throw error;
    }
  }

  private mode(mode: number): number {
    return mode & (this.options.preservePermissions ? 0o7777 : 0o777);
  }

  private at(parts: readonly string[]): string {
    return join(this.dir, ...parts);
  }
}

/** "./a//b/" → ["a", "b"]; ".." was refused before. */
function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

const link = (entry: TarEntry) => `${entry.path} -> ${entry.linkpath ?? ''}`;
const refuse = (what: string, where: string) => unsafeArchive(`refusing ${what}: ${where}`);
