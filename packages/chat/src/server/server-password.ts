import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The connection password (PASS), when the server has one. Compared as SHA-256 digests in constant time, so
 * that neither the length nor the first differing character shows in how long the answer takes.
 */
export function passwordMatches(expected: string | undefined, given: string | undefined): boolean {
  if (expected === undefined) return true;
  if (given === undefined) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
