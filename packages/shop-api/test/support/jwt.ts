import { createHmac } from 'node:crypto';
import { JWT_SECRET } from './context.js';

/** What shop-api puts in its access tokens' iss and aud claims. */
export const TOKEN_AUDIENCE = 'urn:quartet:shop-api';

const b64 = (part: unknown) =>
  Buffer.from(typeof part === 'string' ? part : JSON.stringify(part)).toString('base64url');

/**
 * A hand-made JWT: `header` and `payload` are encoded as given (a string is taken as raw JSON text), and the
 * signature is an HMAC with the app's secret (`'HS256'`, `'HS512'`) or empty (`'none'`).
 */
export function forgeToken(header: unknown, payload: unknown, sign: 'HS256' | 'HS512' | 'none' = 'HS256'): string {
  const data = `${b64(header)}.${b64(payload)}`;
  if (sign === 'none') return `${data}.`;
  const digest = sign === 'HS512' ? 'sha512' : 'sha256';
  return `${data}.${createHmac(digest, JWT_SECRET).update(data).digest('base64url')}`;
}

/** The claims of a valid access token for `sub` issued now, before any change the caller makes. */
export function claims(sub: string, ver = 0, nowSeconds = Math.floor(Date.now() / 1000)) {
  return { sub, ver, iss: TOKEN_AUDIENCE, aud: TOKEN_AUDIENCE, iat: nowSeconds, exp: nowSeconds + 900 };
}
