import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '@quartet/core/private-files';
import { usage } from '../errors.js';
import { KEY_KINDS, keyKindOf, type KeyKindName } from '../formats/key-kinds.js';
import { withFsErrors } from '../io/fs-errors.js';
import { AtomicFile } from '../io/output.js';
import type { CommandContext } from './context.js';
import { meaningfulLines } from './keys.js';
import { checkOutputPath } from './output.js';

export interface KeygenResult {
  publicKey: string;
  /** The key file's text when it was not written to a file (no -o). */
  keyFileText?: string;
  output?: string;
}

/**
 * A new identity, in age-keygen's layout (created, public key, secret key)
 * for every kind. The key file is created 0600 and exclusively (no moment
 * where another user could open it, whatever the umask), directories made
 * for it 0700; it is never overwritten without --force.
 */
export async function keygenCommand(
  settings: { output?: string | undefined; force: boolean; kind?: KeyKindName },
  context: CommandContext,
  now = new Date(),
): Promise<KeygenResult> {
  const kind = KEY_KINDS[settings.kind ?? 'native'];
  if (settings.output !== undefined && settings.output !== '-')
    checkOutputPath(settings.output, undefined, settings.force);
  const { identity, recipient } = await kind.generate(context.random ?? randomBytes);
  const text = [`# created: ${kind.created(now)}`, `# public key: ${recipient}`, identity, ''].join('\n');
  if (settings.output === undefined || settings.output === '-') return { publicKey: recipient, keyFileText: text };
  // A directory made for a key is the owner's alone (0700), as the key file (0600).
  ensurePrivateDir(dirname(settings.output));
  const file = await AtomicFile.create(settings.output, { force: settings.force, private: true, warn: context.warn });
  try {
    await file.sink().write([Buffer.from(text)]);
    return { publicKey: recipient, output: await file.commit({ mode: 0o600 }) };
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** `keygen -y FILE`: the public key of every identity in FILE, one a line, as `age-keygen -y` prints them. */
export async function publicKeysOf(file: string): Promise<string[]> {
  const lines = meaningfulLines(await withFsErrors(file, () => readFile(file, 'utf8')));
  if (lines.length === 0) throw usage(`${file} holds no secret key`);
  const recipients: string[] = [];
  for (const { text, number } of lines) {
    const kind = keyKindOf(text);
    if (!kind) throw usage(`${file} line ${number} is not a secret key (FCSECRET1… or AGE-SECRET-KEY-1…)`);
    recipients.push(await kind.recipientOf(text, `${file} line ${number}`));
  }
  return recipients;
}
