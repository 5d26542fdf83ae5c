/**
 * Replayed history must never pass for live conversation: it is marked
 * `[history]`, and on a colour terminal also dimmed.
 */
export function markHistory(text: string, color: boolean): string {
  return color ? `\x1b[2m[history] ${text}\x1b[22m` : `[history] ${text}`;
}
