import { pbkdf2, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import {
  FILE_KEY_BYTES,
  MAX_SCRYPT_P,
  MAX_SCRYPT_R,
  SALT_BYTES,
  StanzaType,
  type KdfLimits,
} from '../format/constants.js';
import { stanzaParams, type Stanza } from '../format/header.js';
import { kdfLimit } from '../errors.js';
import { unwrapFileKey, wrapFileKey } from './keys.js';

export type KdfChoice = { kdf: 'pbkdf2'; iterations: number } | { kdf: 'scrypt'; logN: number; r: number; p: number };
export type PassphraseStanza = Extract<Stanza, { type: typeof StanzaType.Pbkdf2 | typeof StanzaType.Scrypt }>;

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export async function passphraseStanza(
  passphrase: Buffer,
  fileKey: Buffer,
  choice: KdfChoice,
  random: (size: number) => Buffer,
): Promise<PassphraseStanza> {
  const salt = random(SALT_BYTES);
  const unwrapped: PassphraseStanza =
    choice.kdf === 'pbkdf2'
      ? { type: StanzaType.Pbkdf2, iterations: choice.iterations, salt, wrappedKey: Buffer.alloc(0) }
      : { type: StanzaType.Scrypt, logN: choice.logN, r: choice.r, p: choice.p, salt, wrappedKey: Buffer.alloc(0) };
  const kek = await deriveKek(passphrase, unwrapped);
  return { ...unwrapped, wrappedKey: wrapFileKey(kek, fileKey, stanzaParams(unwrapped)) };
}

/** The file key, or undefined for a wrong passphrase. Work factors over the limits are refused first. */
export async function unwrapPassphraseStanza(
  stanza: PassphraseStanza,
  passphrase: Buffer,
  limits: KdfLimits,
): Promise<Buffer | undefined> {
  checkKdfLimits(stanza, limits);
  const kek = await deriveKek(passphrase, stanza);
  return unwrapFileKey(kek, stanza.wrappedKey, stanzaParams(stanza));
}

function checkKdfLimits(stanza: PassphraseStanza, limits: KdfLimits): void {
  if (stanza.type === StanzaType.Pbkdf2 && stanza.iterations > limits.maxPbkdf2Iterations) {
    throw kdfLimit(`PBKDF2 iterations ${stanza.iterations} exceed the limit of ${limits.maxPbkdf2Iterations}`);
  }
  if (stanza.type === StanzaType.Scrypt) {
    if (stanza.logN > limits.maxScryptLogN) {
      throw kdfLimit(`scrypt N=2^${stanza.logN} exceeds the limit of 2^${limits.maxScryptLogN}`);
    }
    if (stanza.r > MAX_SCRYPT_R || stanza.p > MAX_SCRYPT_P) {
      throw kdfLimit(`scrypt r=${stanza.r}, p=${stanza.p} exceed the limits r<=${MAX_SCRYPT_R}, p<=${MAX_SCRYPT_P}`);
    }
  }
}

function deriveKek(passphrase: Buffer, stanza: PassphraseStanza): Promise<Buffer> {
  if (stanza.type === StanzaType.Pbkdf2) {
    return pbkdf2Async(passphrase, stanza.salt, stanza.iterations, FILE_KEY_BYTES, 'sha256');
  }
  const N = 2 ** stanza.logN;
  // scrypt needs 128·N·r bytes; allow that plus headroom instead of Node's 32 MiB default.
  return scryptAsync(passphrase, stanza.salt, FILE_KEY_BYTES, {
    N,
    r: stanza.r,
    p: stanza.p,
    maxmem: 256 * N * stanza.r + 1024 * 1024,
  });
}
