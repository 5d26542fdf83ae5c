import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '@quartet/core/private-files';
import {
  encodeKey,
  generateSecret,
  identityFromSecret,
  PUBLIC_KEY_PREFIX,
  SECRET_KEY_PREFIX,
} from '../crypto/x25519.js';
import { AtomicFile } from '../io/output.js';
import type { CommandContext } from './context.js';
import { checkOutputPath } from './output.js';

export interface KeygenResult {
  publicKey: string;
  /** The key file's text when it was not written to a file (no -o). */
  keyFileText?: string;
  output?: string;
}

/**
 * A new X25519 identity. The key file is created 0600 and exclusively (no
 * moment where another user could open it, whatever the umask), directories
 * made for it 0700; it is never overwritten without --force.
 */
export async function keygenCommand(
  options: { output?: string | undefined; force: boolean },
  context: CommandContext,
  now = new Date(),
): Promise<KeygenResult> {
  const secret = generateSecret(context.random ?? randomBytes);
  const publicKey = encodeKey(PUBLIC_KEY_PREFIX, identityFromSecret(secret).publicKey);
  const text = [
    `# created: ${now.toISOString()}`,
    `# public key: ${publicKey}`,
    encodeKey(SECRET_KEY_PREFIX, secret),
    '',
  ].join('\n');
  if (options.output === undefined || options.output === '-') return { publicKey, keyFileText: text };
  checkOutputPath(options.output, undefined, options.force);
  // A directory made for a key is the owner's alone (0700), as the key file (0600).
  ensurePrivateDir(dirname(options.output));
  const file = await AtomicFile.create(options.output, { force: options.force, private: true, warn: context.warn });
  try {
    await file.sink().write([Buffer.from(text)]);
    return { publicKey, output: await file.commit({ mode: 0o600 }) };
  } catch (error) {
    await file.abort();
    throw error;
  }
}
