import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tightenMode } from '@quartet/core';

/**
 * The JWT signing secret: SHOP_JWT_SECRET when set, otherwise one generated on
 * first start and kept in the data directory (mode 0600). Publishing it with
 * link(2) makes it atomic: two servers starting at once agree on one secret. A file that others
 * can read is made private again, with a warning for the entry point to print.
 */
export function resolveJwtSecret(
  configured: string | undefined,
  dataDir: string,
): { secret: string; warnings: string[] } {
  if (configured !== undefined) return { secret: configured, warnings: [] };
  const file = join(dataDir, 'jwt-secret');
  try {
    const secret = readSecret(file);
    const warning = tightenMode(file);
    return { secret, warnings: warning === undefined ? [] : [warning] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, randomBytes(48).toString('base64url') + '\n', { mode: 0o600 });
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  return { secret: readSecret(file), warnings: [] };
}

function readSecret(file: string): string {
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds no usable secret; delete it to generate a new one`);
  return secret;
}
