import { randomBytes } from 'node:crypto';
import { identityFromSecret, sharedSecret } from '../crypto/x25519.js';
import { ageHeader } from '../errors.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { hkdf, openKey, sealKey } from './kdf.js';
import { checkKnownStanza } from './stanza-rules.js';
import type { AgeIdentity, AgeRecipient, AgeStanza } from './types.js';

export const X25519_STANZA_TYPE = 'X25519';
const INFO = 'age-encryption.org/v1/X25519';

/**
 * age's native recipient type: an ephemeral X25519 share per file, the
 * file key sealed under HKDF(shared secret, share ‖ recipient). `random` is
 * injectable for known-answer tests only.
 */
export function x25519Recipient(publicKey: Buffer, random: (n: number) => Buffer = randomBytes): AgeRecipient {
  const recipient = Buffer.from(publicKey);
  return {
    type: X25519_STANZA_TYPE,
    wrap(fileKey: Buffer): AgeStanza[] {
      const ephemeral = identityFromSecret(random(32));
      const shared = sharedSecret(ephemeral.secretKey, recipient);
      if (!shared) throw new RangeError('the recipient is not a usable X25519 public key');
      const key = hkdf(shared, Buffer.concat([ephemeral.publicKey, recipient]), INFO);
      return [{ type: X25519_STANZA_TYPE, args: [encodeBase64(ephemeral.publicKey)], body: sealKey(key, fileKey) }];
    },
  };
}

/** An identity from its 32-byte secret scalar; `publicKey` is its recipient's key. */
export function x25519Identity(secret: Buffer): AgeIdentity & { readonly publicKey: Buffer } {
  const { secretKey, publicKey } = identityFromSecret(secret);
  return {
    publicKey,
    unwrap(stanzas: readonly AgeStanza[]): Promise<Buffer | undefined> {
      for (const [index, stanza] of stanzas.entries()) {
        if (stanza.type !== X25519_STANZA_TYPE) continue;
        checkKnownStanza(stanza, `stanza ${index + 1}`);
        const share = decodeBase64(stanza.args[0]!)!;
        // An all-zero shared secret (a low-order share) is a malformed file, not someone else's stanza.
        const shared = sharedSecret(secretKey, share);
        if (!shared) return Promise.reject(ageHeader(`stanza ${index + 1}: the X25519 share is a low-order point`));
        const fileKey = openKey(hkdf(shared, Buffer.concat([share, publicKey]), INFO), stanza.body);
        if (fileKey) return Promise.resolve(fileKey);
      }
      return Promise.resolve(undefined);
    },
  };
}
