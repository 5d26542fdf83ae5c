import { usage } from '../errors.js';
import { readFdLine, readFileLine } from '../io/first-line.js';
import type { CommandContext } from './context.js';

export interface PassphraseFlags {
  passphraseFile?: string | undefined;
  passphraseFd?: number | undefined;
}

/**
 * --passphrase-file, then --passphrase-fd, then FILECRYPT_PASSPHRASE, then a
 * hidden prompt on the terminal (twice when encrypting). Files and fds give
 * their first line as `openssl -kfile` reads it. The passphrase is the bytes
 * as given, from every source, never decoded as text: a byte that is not
 * UTF-8 (Latin-1 "é", 0xE9) stays that byte, as in openssl and age.
 */
export async function resolvePassphrase(
  flags: PassphraseFlags,
  context: CommandContext,
  confirm: boolean,
): Promise<Buffer> {
  let passphrase: Buffer;
  if (flags.passphraseFile !== undefined) {
    passphrase = await readFileLine(flags.passphraseFile);
  } else if (flags.passphraseFd !== undefined) {
    passphrase = await readFdLine(flags.passphraseFd);
  } else if (context.config.passphrase !== undefined) {
    passphrase = context.config.passphrase;
  } else {
    passphrase = await context.prompt('Passphrase: ');
    if (confirm && passphrase.length > 0 && !(await context.prompt('Passphrase again: ')).equals(passphrase)) {
      throw usage('the passphrases do not match');
    }
  }
  if (passphrase.length === 0) throw usage('an empty passphrase is refused');
  return passphrase;
}
