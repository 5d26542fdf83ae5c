export interface HeldRefreshToken {
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

/**
 * What presenting a refresh token does: a used token presented again means it
 * leaked, so the whole session (its family) ends; a revoked, expired or unknown
 * one is simply invalid.
 */
export function decideRotation(token: HeldRefreshToken | undefined, now: string): 'rotate' | 'reuse' | 'invalid' {
  if (!token || token.revokedAt !== null) return 'invalid';
  if (token.usedAt !== null) return 'reuse';
  if (token.expiresAt <= now) return 'invalid';
  return 'rotate';
}
