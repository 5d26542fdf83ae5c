import { randomBytes } from 'node:crypto';
import { bech32 } from '@scure/base';
import { identityFromSecret } from '../crypto/x25519.js';
import { usage } from '../errors.js';
import type { AgeIdentity, AgeRecipient } from './types.js';
import { x25519Identity, x25519Recipient } from './x25519.js';

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'AGE-SECRET-KEY-';
const PQ_RECIPIENT_START = 'age1pq1';
const PQ_IDENTITY_START = 'AGE-SECRET-KEY-PQ-1';
const KEY_BYTES = 32;

/** Whether a recipient argument is meant as an age key (X25519 or hybrid), as opposed to a native `fcpub1…` one. */
export function isAgeRecipientText(text: string): boolean {
  return text.startsWith('age1');
}

/** An `age1…` recipient; `where` names it in the usage error (an argument, `FILE line N`). */
export async function parseRecipient(text: string, where: string): Promise<AgeRecipient> {
  if (text.startsWith(PQ_RECIPIENT_START)) {
    const recipient = (await loadPq()).parsePqRecipient(text);
    if (recipient) return recipient;
  } else {
    const publicKey = decodeKey(text, RECIPIENT_HRP);
    if (publicKey && text === text.toLowerCase()) return x25519Recipient(publicKey);
  }
  throw usage(`not an age recipient: ${where}`);
}

/**
 * The identities of a file as age-keygen writes it: `AGE-SECRET-KEY-1…` and
 * `AGE-SECRET-KEY-PQ-1…` lines, `#` comments and blank lines. A bad line is
 * named by number only: its text is a secret, or part of one.
 */
export async function parseIdentities(text: string, where: string): Promise<AgeIdentity[]> {
  const identities: AgeIdentity[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    const identity = line.startsWith(PQ_IDENTITY_START)
      ? (await loadPq()).parsePqIdentity(line)
      : parseX25519Identity(line);
    if (!identity) throw usage(`not an age identity: ${where} line ${index + 1}`);
    identities.push(identity);
  }
  if (identities.length === 0) throw usage(`no age identity in ${where}`);
  return identities;
}

/** A new X25519 identity (`AGE-SECRET-KEY-1…`) and its recipient (`age1…`); `random` is for tests. */
export function generateX25519Identity(random: (n: number) => Buffer = randomBytes): {
  identity: string;
  recipient: string;
} {
  const secret = random(KEY_BYTES);
  if (secret.length !== KEY_BYTES) throw new RangeError(`random(${KEY_BYTES}) returned ${secret.length} bytes`);
  return { identity: encodeKey(IDENTITY_HRP, secret).toUpperCase(), recipient: recipientOfSecret(secret) };
}

/** The `age1…` recipient of one `AGE-SECRET-KEY-1…` identity, or undefined when the text is not one. */
export function x25519RecipientOf(identityText: string): string | undefined {
  const secret = decodeIdentity(identityText.trim());
  return secret ? recipientOfSecret(secret) : undefined;
}

function parseX25519Identity(line: string): AgeIdentity | undefined {
  const secret = decodeIdentity(line);
  return secret ? x25519Identity(secret) : undefined;
}

/** age-keygen writes identities in upper case; bech32 allows one case only, and age reads them so. */
function decodeIdentity(text: string): Buffer | undefined {
  return text === text.toUpperCase() ? decodeKey(text, IDENTITY_HRP) : undefined;
}

function recipientOfSecret(secret: Buffer): string {
  return encodeKey(RECIPIENT_HRP, identityFromSecret(secret).publicKey);
}

/** The 32 key bytes, or undefined. No 90-character limit: a hybrid key is far longer, and age sets none. */
function decodeKey(text: string, hrp: string): Buffer | undefined {
  try {
    const { prefix, words } = bech32.decode(text, false);
    if (prefix !== hrp.toLowerCase()) return undefined;
    const bytes = Buffer.from(bech32.fromWords(words));
    return bytes.length === KEY_BYTES ? bytes : undefined;
  } catch {
    return undefined;
  }
}

function encodeKey(hrp: string, bytes: Buffer): string {
  return bech32.encode(hrp.toLowerCase(), bech32.toWords(bytes), false);
}

/** Loaded only when a hybrid key appears: ML-KEM costs memory that X25519-only runs must not pay. */
function loadPq() {
  return import('./mlkem768x25519.js');
}
