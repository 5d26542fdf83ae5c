import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { usage } from '../errors.js';
import { withFsErrors } from '../io/fs-errors.js';
import type { CommandContext } from './context.js';

export interface PassphraseFlags {
  passphraseFile?: string | undefined;
  passphraseFd?: number | undefined;
}

/**
 * --passphrase-file, then --passphrase-fd, then FILECRYPT_PASSPHRASE, then a
 * hidden prompt on the terminal (twice when encrypting). Files and fds give
 * their first line without CR/LF, as `openssl -kfile` reads it.
 */
export async function resolvePassphrase(
  flags: PassphraseFlags,
  context: CommandContext,
  confirm: boolean,
): Promise<Buffer> {
  let passphrase: string;
  if (flags.passphraseFile !== undefined) {
    const path = flags.passphraseFile;
    passphrase = firstLine(await withFsErrors(path, () => readFile(path, 'utf8')));
  } else if (flags.passphraseFd !== undefined) {
    passphrase = firstLine(await readFd(flags.passphraseFd));
  } else if (context.config.passphrase !== undefined) {
    passphrase = context.config.passphrase;
  } else {
    passphrase = await context.prompt('Passphrase: ');
    if (confirm && passphrase !== '' && (await context.prompt('Passphrase again: ')) !== passphrase) {
      throw usage('the passphrases do not match');
    }
  }
  if (passphrase === '') throw usage('an empty passphrase is refused');
  return Buffer.from(passphrase, 'utf8');
}

function firstLine(text: string): string {
  return text.split(/\r?\n|\r/, 1)[0] ?? '';
}

async function readFd(fd: number): Promise<string> {
  const stream = createReadStream('', { fd, autoClose: true, encoding: 'utf8' });
  let text = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) text += chunk;
  } catch (error) {
    throw usage(`cannot read the passphrase from fd ${fd}: ${(error as Error).message}`);
  }
  return text;
}
