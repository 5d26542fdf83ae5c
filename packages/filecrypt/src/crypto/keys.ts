import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { FILE_KEY_BYTES, MAC_BYTES, TAG_BYTES } from '../format/constants.js';

export interface FileKeys {
  payloadKey: Buffer;
  macKey: Buffer;
}

/** Independent subkeys, so that the header MAC never shares a key with the payload cipher. */
export function deriveFileKeys(fileKey: Buffer): FileKeys {
  return {
    payloadKey: hkdf(fileKey, Buffer.alloc(0), 'filecrypt v1 payload'),
    macKey: hkdf(fileKey, Buffer.alloc(0), 'filecrypt v1 header mac'),
  };
}

export function hkdf(ikm: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, FILE_KEY_BYTES));
}

/**
 * HMAC-SHA256 is committing: a header made to unwrap to two file keys (the
 * "invisible salamanders" attack on GCM) can carry only one valid MAC.
 */
export function headerMac(macKey: Buffer, headerBody: Buffer): Buffer {
  return createHmac('sha256', macKey).update(headerBody).digest();
}

export function headerMacMatches(macKey: Buffer, headerBody: Buffer, mac: Buffer): boolean {
  return mac.length === MAC_BYTES && timingSafeEqual(headerMac(macKey, headerBody), mac);
}

/**
 * Wrap the file key with AES-256-GCM under a key-encryption key used once
 * (fresh salt or fresh ephemeral key per file), so a zero nonce is safe, as in age.
 */
export function wrapFileKey(kek: Buffer, fileKey: Buffer, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', kek, Buffer.alloc(12));
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapFileKey(kek: Buffer, wrapped: Buffer, aad: Buffer): Buffer | undefined {
  if (wrapped.length !== FILE_KEY_BYTES + TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.alloc(12));
  decipher.setAAD(aad);
  decipher.setAuthTag(wrapped.subarray(FILE_KEY_BYTES));
  const key = decipher.update(wrapped.subarray(0, FILE_KEY_BYTES));
  try {
    decipher.final();
    return key;
  } catch {
    return undefined;
  }
}
