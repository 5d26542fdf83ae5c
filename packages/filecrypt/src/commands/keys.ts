import { readFile } from 'node:fs/promises';
import {
  decodeKey,
  identityFromSecret,
  PUBLIC_KEY_PREFIX,
  SECRET_KEY_PREFIX,
  type Identity,
} from '../crypto/x25519.js';
import { usage } from '../errors.js';
import { withFsErrors } from '../io/fs-errors.js';

/** A recipient as the user gave it, and where, for messages: "-r" keys as themselves, file lines as "FILE line N". */
export interface RecipientText {
  text: string;
  where: string;
}

/** -r keys and the keys listed in -R files (one per line; blank lines and # comments ignored), not parsed yet. */
export async function readRecipients(keys: readonly string[], files: readonly string[]): Promise<RecipientText[]> {
  const recipients = keys.map((key) => ({ text: key.trim(), where: key }));
  for (const file of files) {
    const lines = meaningfulLines(await withFsErrors(file, () => readFile(file, 'utf8')));
    for (const { text, number } of lines) recipients.push({ text, where: `${file} line ${number}` });
  }
  return recipients;
}

/** filecrypt's own X25519 public keys (fcpub1…). */
export function parseNativeRecipients(recipients: readonly RecipientText[]): Buffer[] {
  return recipients.map(({ text, where }) => {
    const key = decodeKey(PUBLIC_KEY_PREFIX, text);
    if (!key) throw usage(`not a filecrypt public key (${PUBLIC_KEY_PREFIX}…): ${where}`);
    return key;
  });
}

/**
 * A -k/-i file split by kind: filecrypt's FCSECRET1… keys, and the text of
 * its age identities (AGE-SECRET-KEY-1…, AGE-SECRET-KEY-PQ-1…) with every
 * other line blanked, so that the age parser's line numbers stay the file's.
 */
export interface KeyFile {
  path: string;
  native: Identity[];
  /** undefined when the file holds no age identity. */
  ageText: string | undefined;
}

const AGE_SECRET_PREFIX = 'AGE-';

export async function readKeyFiles(files: readonly string[]): Promise<KeyFile[]> {
  const keyFiles: KeyFile[] = [];
  for (const path of files) {
    const text = await withFsErrors(path, () => readFile(path, 'utf8'));
    const lines = text.split(/\r?\n/);
    const native: Identity[] = [];
    let age = false;
    for (const { text: line, number } of meaningfulLines(text)) {
      if (line.startsWith(AGE_SECRET_PREFIX)) {
        age = true;
        continue;
      }
      const secret = decodeKey(SECRET_KEY_PREFIX, line);
      if (!secret)
        throw usage(`${path} line ${number} is not a secret key (${SECRET_KEY_PREFIX}… or AGE-SECRET-KEY-1…)`);
      native.push(identityFromSecret(secret));
    }
    if (native.length === 0 && !age) throw usage(`${path} holds no secret key`);
    const ageText = age
      ? lines.map((line) => (line.trim().startsWith(AGE_SECRET_PREFIX) ? line : '')).join('\n')
      : undefined;
    keyFiles.push({ path, native, ageText });
  }
  return keyFiles;
}

export function meaningfulLines(text: string): { text: string; number: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ text: line.trim(), number: index + 1 }))
    .filter((line) => line.text !== '' && !line.text.startsWith('#'));
}
