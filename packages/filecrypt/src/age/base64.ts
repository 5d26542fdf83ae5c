/**
 * age's base64: the standard alphabet without padding, and canonical, so
 * that one value has exactly one encoding (a header is MACed as bytes, and
 * the spec forbids malleable encodings). Buffer's own decoder is lenient
 * (it skips junk and ignores trailing bits), so the text is checked first
 * and the result re-encoded and compared.
 */
const ALPHABET = /^[A-Za-z0-9+/]*$/;

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/** The bytes, or undefined for anything but canonical unpadded base64. */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 === 1 || !ALPHABET.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return encodeBase64(bytes) === text ? bytes : undefined;
}
