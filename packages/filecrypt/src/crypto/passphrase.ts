import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { FILE_KEY_BYTES, SALT_BYTES, SCRYPT_WORK_FACTOR, StanzaType, type KdfLimits } from '../format/constants.js';
import { stanzaParams, type Stanza } from '../format/header.js';
import { kdfFailed, kdfLimit } from '../errors.js';
import { unwrapFileKey, wrapFileKey } from './keys.js';
import { deriveScrypt } from './scrypt.js';

export type KdfChoice = { kdf: 'pbkdf2'; iterations: number } | { kdf: 'scrypt'; logN: number; r: number; p: number };
export type PassphraseStanza = Extract<Stanza, { type: typeof StanzaType.Pbkdf2 | typeof StanzaType.Scrypt }>;

const pbkdf2Async = promisify(pbkdf2);

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
  let kek: Buffer;
  try {
    kek = await deriveKek(passphrase, stanza);
  } catch (error) {
    // Only reachable with the limits lifted: parameters Node or OpenSSL cannot run (N over 2^32, out of memory).
    throw kdfFailed(`${describeKdf(stanza)}: ${(error as Error).message}`);
  }
  return unwrapFileKey(kek, stanza.wrappedKey, stanzaParams(stanza));
}

/**
 * The whole cost a header asks for, checked before a passphrase is asked for:
 * scrypt's memory (128·N·r bytes) and time (N·r·p), PBKDF2's iterations.
 */
export function checkKdfLimits(stanza: PassphraseStanza, limits: KdfLimits): void {
  if (stanza.type === StanzaType.Pbkdf2) {
    if (stanza.iterations > limits.maxPbkdf2Iterations) {
      throw kdfLimit(`PBKDF2 iterations ${stanza.iterations} exceed the limit of ${limits.maxPbkdf2Iterations}`);
    }
    return;
  }
  const { logN, r, p } = stanza;
  const memory = 128 * 2 ** logN * r;
  if (memory > limits.maxScryptMemory) {
    throw kdfLimit(
      `scrypt N=2^${logN}, r=${r} needs ${mebibytes(memory)} MiB of memory, ` +
        `over the limit of ${mebibytes(limits.maxScryptMemory)} MiB`,
    );
  }
  const work = 2 ** logN * r * p;
  if (work > limits.maxScryptWork) {
    throw kdfLimit(
      `scrypt N=2^${logN}, r=${r}, p=${p} costs N·r·p = ${work}, ` +
        `over the limit of ${limits.maxScryptWork} (${SCRYPT_WORK_FACTOR} times the default)`,
    );
  }
}

function describeKdf(stanza: PassphraseStanza): string {
  return stanza.type === StanzaType.Pbkdf2
    ? `PBKDF2 with ${stanza.iterations} iterations`
    : `scrypt N=2^${stanza.logN}, r=${stanza.r}, p=${stanza.p}`;
}

function mebibytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return Number.isSafeInteger(mib) ? String(mib) : mib.toPrecision(3);
}

function deriveKek(passphrase: Buffer, stanza: PassphraseStanza): Promise<Buffer> {
  if (stanza.type === StanzaType.Pbkdf2) {
    return pbkdf2Async(passphrase, stanza.salt, stanza.iterations, FILE_KEY_BYTES, 'sha256');
  }
  return deriveScrypt(passphrase, stanza.salt, FILE_KEY_BYTES, { N: 2 ** stanza.logN, r: stanza.r, p: stanza.p });
}
