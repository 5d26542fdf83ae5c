import { ageHeader } from '../errors.js';
import { decodeBase64 } from './base64.js';
import type { AgeStanza } from './types.js';

/** Every known stanza wraps the 16-byte file key with a 16-byte tag. */
export const WRAPPED_KEY_BYTES = 32;
export const X25519_SHARE_BYTES = 32;
export const SCRYPT_SALT_BYTES = 16;
/** ML-KEM-768 ciphertext (1088) ‖ X25519 ephemeral share (32). */
export const MLKEM768X25519_ENC_BYTES = 1120;
/** No scrypt work factor above this is meaningful (N = 2^logN must fit in 64 bits). */
const MAX_LOG_N = 63;

/**
 * The shape of the stanza types this implementation knows, checked when the
 * header is parsed, whichever identities are at hand: a malformed known
 * stanza is a header failure even when no identity of its type is given
 * (CCTV hybrid_x25519_arg, x25519_extra_argument). Unknown types are never
 * checked: the spec requires skipping them.
 */
export function checkKnownStanza(stanza: AgeStanza, where: string): void {
  switch (stanza.type) {
    case 'X25519':
      expectArgs(stanza, 1, where);
      expectBytes(stanza.args[0]!, X25519_SHARE_BYTES, `${where}: X25519 share`);
      expectBody(stanza, where);
      return;
    case 'scrypt':
      expectArgs(stanza, 2, where);
      expectBytes(stanza.args[0]!, SCRYPT_SALT_BYTES, `${where}: scrypt salt`);
      scryptWorkFactor(stanza, where);
      expectBody(stanza, where);
      return;
    case 'mlkem768x25519':
      expectArgs(stanza, 1, where);
      expectBytes(stanza.args[0]!, MLKEM768X25519_ENC_BYTES, `${where}: mlkem768x25519 enc`);
      expectBody(stanza, where);
      return;
    default:
  }
}

/** The scrypt log2 N: a plain decimal, no sign, no leading zero, at least 1. */
export function scryptWorkFactor(stanza: AgeStanza, where = 'scrypt stanza'): number {
  const text = stanza.args[1] ?? '';
  const logN = /^[1-9][0-9]{0,2}$/.test(text) ? Number(text) : 0;
  if (logN < 1 || logN > MAX_LOG_N)
    throw ageHeader(`${where}: scrypt work factor is not a decimal from 1 to ${MAX_LOG_N}`);
  return logN;
}

function expectArgs(stanza: AgeStanza, count: number, where: string): void {
  if (stanza.args.length !== count) {
    throw ageHeader(`${where}: a ${stanza.type} stanza takes ${count} argument${count === 1 ? '' : 's'}`);
  }
}

function expectBytes(text: string, length: number, what: string): void {
  if (decodeBase64(text)?.length !== length) throw ageHeader(`${what} is not ${length} bytes of canonical base64`);
}

function expectBody(stanza: AgeStanza, where: string): void {
  if (stanza.body.length !== WRAPPED_KEY_BYTES) {
    throw ageHeader(`${where}: a ${stanza.type} stanza body must be ${WRAPPED_KEY_BYTES} bytes`);
  }
}
