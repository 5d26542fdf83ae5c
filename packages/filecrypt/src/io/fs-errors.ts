import { notFound, permissionDenied, usage } from '../errors.js';

/** Turn the file-system errors a user can cause into one-line errors; anything else stays a bug. */
export function translateFsError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return notFound(path);
  if (code === 'EACCES' || code === 'EPERM') return permissionDenied(path);
  if (code === 'EISDIR') return usage(`${path} is a directory`);
  if (code === 'ENOTDIR') return usage(`${path}: a parent is not a directory`);
  if (code === 'ENOSPC') return usage(`no space left on device writing ${path}`);
  return error;
}

export async function withFsErrors<T>(path: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw translateFsError(error, path);
  }
}
