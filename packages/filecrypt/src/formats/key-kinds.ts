import {
  decodeKey,
  encodeKey,
  generateSecret,
  identityFromSecret,
  PUBLIC_KEY_PREFIX,
  SECRET_KEY_PREFIX,
} from '../crypto/x25519.js';
import { usage } from '../errors.js';

/**
 * The kinds of key file `keygen` writes and `keygen -y` reads: filecrypt's
 * own X25519 keys, age's X25519 identities and age's post-quantum hybrid
 * ones. The age modules are imported only when their kind is used.
 */
export interface KeyKind {
  /** Every secret key line of this kind starts with it. */
  secretPrefix: string;
  generate(random: (size: number) => Buffer): Promise<{ identity: string; recipient: string }>;
  /** `where` names the line for messages. */
  recipientOf(identity: string, where: string): Promise<string>;
  /** The "# created:" time as this kind's own tool writes it. */
  created(now: Date): string;
}

export type KeyKindName = 'native' | 'age' | 'pq';

/** age-keygen writes RFC 3339 in whole seconds (Go's time.RFC3339). */
const rfc3339Seconds = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const KEY_KINDS: Readonly<Record<KeyKindName, KeyKind>> = {
  native: {
    secretPrefix: SECRET_KEY_PREFIX,
    generate: (random) => {
      const secret = generateSecret(random);
      return Promise.resolve({ identity: encodeKey(SECRET_KEY_PREFIX, secret), recipient: nativeRecipient(secret) });
    },
    recipientOf: (identity, where) => {
      const secret = decodeKey(SECRET_KEY_PREFIX, identity);
      if (!secret) throw usage(`${where} is not a filecrypt secret key (${SECRET_KEY_PREFIX}…)`);
      return Promise.resolve(nativeRecipient(secret));
    },
    created: (now) => now.toISOString(),
  },
  age: {
    secretPrefix: 'AGE-SECRET-KEY-1',
    generate: async (random) => (await import('../age/keys.js')).generateX25519Identity(random),
    recipientOf: async (identity, where) =>
      (await import('../age/keys.js')).x25519RecipientOf(identity) ?? invalid(where),
    created: rfc3339Seconds,
  },
  pq: {
    secretPrefix: 'AGE-SECRET-KEY-PQ-1',
    generate: async (random) => (await import('../age/mlkem768x25519.js')).generatePqIdentity(random),
    recipientOf: async (identity, where) =>
      (await import('../age/mlkem768x25519.js')).pqRecipientOf(identity) ?? invalid(where),
    created: rfc3339Seconds,
  },
};

/** The kind of a secret key line, by its prefix. */
export function keyKindOf(line: string): KeyKind | undefined {
  return Object.values(KEY_KINDS).find((kind) => line.startsWith(kind.secretPrefix));
}

/** Worded as the age library words a bad identity line, which `dec -i` reports. */
function invalid(where: string): never {
  throw usage(`not an age identity: ${where}`);
}

function nativeRecipient(secret: Buffer): string {
  return encodeKey(PUBLIC_KEY_PREFIX, identityFromSecret(secret).publicKey);
}
