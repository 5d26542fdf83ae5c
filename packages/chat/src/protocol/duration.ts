/**
 * Durations as operators type them: `30s`, `10m`, `2h`, `7d`, `1w`; `perm` (or `0`) for no end.
 * Returns undefined when the word is not a duration (so `/ban bob spamming` reads `spamming` as the reason).
 */
export function parseDuration(word: string | undefined): { readonly ms: number | null } | undefined {
  if (word === undefined) return undefined;
  if (word === 'perm' || word === '0') return { ms: null };
  const match = /^(\d{1,6})([smhdw])$/.exec(word);
  if (!match) return undefined;
  return { ms: Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] };
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `until 2026-01-01 12:00 UTC`, or `permanently`. */
export function describeExpiry(expiresAt: number | null): string {
  if (expiresAt === null) return 'permanently';
  return `until ${new Date(expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
