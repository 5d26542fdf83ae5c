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

/** -r keys and the keys listed in -R files (one per line; blank lines and # comments ignored). */
export async function loadRecipients(keys: readonly string[], files: readonly string[]): Promise<Buffer[]> {
  const recipients = keys.map((key) => parsePublicKey(key.trim(), key));
  for (const file of files) {
    const lines = meaningfulLines(await withFsErrors(file, () => readFile(file, 'utf8')));
    for (const { text, number } of lines) recipients.push(parsePublicKey(text, `${file} line ${number}`));
  }
  return recipients;
}

/** Identities from -k key files, as written by `filecrypt keygen`. */
export async function loadIdentities(files: readonly string[]): Promise<Identity[]> {
  const identities: Identity[] = [];
  for (const file of files) {
    const lines = meaningfulLines(await withFsErrors(file, () => readFile(file, 'utf8')));
    for (const { text, number } of lines) {
      const secret = decodeKey(SECRET_KEY_PREFIX, text);
      if (!secret) throw usage(`${file} line ${number} is not a filecrypt secret key`);
      identities.push(identityFromSecret(secret));
    }
    if (lines.length === 0) throw usage(`${file} holds no filecrypt secret key`);
  }
  return identities;
}

function parsePublicKey(text: string, where: string): Buffer {
  const key = decodeKey(PUBLIC_KEY_PREFIX, text);
  if (!key) throw usage(`not a filecrypt public key (${PUBLIC_KEY_PREFIX}…): ${where}`);
  return key;
}

function meaningfulLines(text: string): { text: string; number: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ text: line.trim(), number: index + 1 }))
    .filter((line) => line.text !== '' && !line.text.startsWith('#'));
}
