import { createRequire } from 'node:module';

/**
 * NIST SP 800-63B §5.1.1.2: refuse passwords that are commonly used, expected
 * or compromised, and repetitive or sequential ones. The list is zxcvbn-ts's
 * common-password dictionary (about 49,000 passwords from breach corpora),
 * compared case-insensitively. It is loaded on first use only, so commands that
 * never set a password do not pay for it.
 */
export function passwordPolicyProblem(password: string): string | undefined {
  if (password.trim() === '') return 'password must not be only whitespace';
  if (isCommonPassword(password)) {
    return 'password is too common: it appears in lists of breached passwords; choose another';
  }
  if (isRepetitiveOrSequential(password)) {
    return 'password must not be one repeated character or a simple sequence such as 123456789012 or abcdefghijkl';
  }
  return undefined;
}

let common: ReadonlySet<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= loadCommonPasswords();
  return common.has(password.toLowerCase()) || common.has(password.trim().toLowerCase());
}

function loadCommonPasswords(): ReadonlySet<string> {
  // createRequire keeps the check synchronous (zod refinements are) and the load lazy.
  const load = createRequire(import.meta.url);
  const { dictionary } = load('@zxcvbn-ts/language-common') as { dictionary: { 'passwords-common': string[] } };
  return new Set(dictionary['passwords-common']);
}

/** One character repeated, or characters that all step by +1 or all by -1 ("abcdef…", "9876…", digits wrap 9→0). */
function isRepetitiveOrSequential(password: string): boolean {
  const points = Array.from(password.toLowerCase(), (char) => char.codePointAt(0) ?? 0);
  if (points.length < 2) return false;
  const step = stepBetween(points[0]!, points[1]!);
  if (step !== 0 && step !== 1 && step !== -1) return false;
  return points.every((point, i) => i === 0 || stepBetween(points[i - 1]!, point) === step);
}

const isDigit = (point: number) => point >= 0x30 && point <= 0x39;

function stepBetween(from: number, to: number): number {
  if (!isDigit(from) || !isDigit(to)) return to - from;
  const up = (to - from + 10) % 10;
  return up === 9 ? -1 : up;
}
