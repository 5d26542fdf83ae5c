import { randomBytes } from 'node:crypto';
import { deriveScrypt, deriveScryptSync } from '../crypto/scrypt.js';
import { ageWorkFactor, usage } from '../errors.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { DEFAULT_MAX_WORK_FACTOR, DEFAULT_SCRYPT_LOG_N } from './defaults.js';
import { openKey, sealKey } from './kdf.js';
import { checkKnownStanza, SCRYPT_SALT_BYTES, scryptWorkFactor } from './stanza-rules.js';
import type { AgeIdentity, AgeRecipient, AgeStanza } from './types.js';

export { DEFAULT_MAX_WORK_FACTOR, DEFAULT_SCRYPT_LOG_N };
export const SCRYPT_STANZA_TYPE = 'scrypt';
const LABEL = Buffer.from('age-encryption.org/v1/scrypt');
const R = 8;

/** A passphrase recipient; the file it writes must hold no other stanza (encryptAge checks). */
export function scryptRecipient(
  passphrase: Buffer,
  logN: number = DEFAULT_SCRYPT_LOG_N,
  random: (n: number) => Buffer = randomBytes,
): AgeRecipient {
  // age's own bounds for writing (its SetWorkFactor panics outside them).
  if (!Number.isInteger(logN) || logN < 1 || logN > 30)
    throw usage(`the scrypt work factor must be from 1 to 30, not ${logN}`);
  return {
    type: SCRYPT_STANZA_TYPE,
    wrap(fileKey: Buffer): AgeStanza[] {
      const salt = random(SCRYPT_SALT_BYTES);
      const key = deriveScryptSync(passphrase, Buffer.concat([LABEL, salt]), 32, cost(logN));
      return [{ type: SCRYPT_STANZA_TYPE, args: [encodeBase64(salt), String(logN)], body: sealKey(key, fileKey) }];
    },
  };
}

/**
 * A passphrase identity. The passphrase is asked for only when a scrypt
 * stanza is there, and a work factor over `maxWorkFactor` is refused before
 * it is asked for and before any work: a hostile file must not make the user
 * type a passphrase into a multi-gigabyte derivation.
 */
export class ScryptIdentity implements AgeIdentity {
  constructor(
    private readonly passphrase: () => Promise<Buffer>,
    private readonly maxWorkFactor: number = DEFAULT_MAX_WORK_FACTOR,
  ) {}

  async unwrap(stanzas: readonly AgeStanza[]): Promise<Buffer | undefined> {
    const index = stanzas.findIndex((stanza) => stanza.type === SCRYPT_STANZA_TYPE);
    const stanza = stanzas[index];
    if (!stanza) return undefined;
    checkKnownStanza(stanza, `stanza ${index + 1}`);
    const logN = scryptWorkFactor(stanza);
    if (logN > this.maxWorkFactor) throw ageWorkFactor(logN, this.maxWorkFactor);
    const salt = decodeBase64(stanza.args[0]!)!;
    const key = await deriveScrypt(await this.passphrase(), Buffer.concat([LABEL, salt]), 32, cost(logN));
    return openKey(key, stanza.body);
  }
}

export function scryptIdentity(
  passphrase: () => Promise<Buffer>,
  maxWorkFactor: number = DEFAULT_MAX_WORK_FACTOR,
): ScryptIdentity {
  return new ScryptIdentity(passphrase, maxWorkFactor);
}

/** Node refuses scrypt above 32 MiB of memory by default; 128·N·r is 4 GiB at age's limit of 22. */
function cost(logN: number) {
  return { N: 2 ** logN, r: R, p: 1 };
}
