import { ValidationError } from './errors.js';

/**
 * Characters refused in free text that people later read in a terminal, a
 * statement or a spreadsheet: C0 controls (NUL, ESC, BEL, …), DEL, C1 controls
 * and the Unicode bidirectional controls that reorder or hide text
 * (Trojan Source, CVE-2021-42574). Newlines and tabs can be allowed for
 * multi-line fields.
 */
const BIDI = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
const UNSAFE = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI}]`, 'u');
const UNSAFE_SINGLE_LINE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI}]`, 'u');

export interface PlainTextOptions {
  /** Allow tab, line feed and carriage return (for multi-line text). Default false. */
  multiline?: boolean;
}

/** The first unsafe character as `U+XXXX`, or undefined when the text is safe. */
export function unsafeCharacter(text: string, options: PlainTextOptions = {}): string | undefined {
  const match = (options.multiline ? UNSAFE : UNSAFE_SINGLE_LINE).exec(text);
  if (!match) return undefined;
  return `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A one-line message naming the field and the character, or undefined when the text is safe. */
export function plainTextProblem(field: string, text: string, options: PlainTextOptions = {}): string | undefined {
  const char = unsafeCharacter(text, options);
  if (char === undefined) return undefined;
  return `${field} must not contain control or bidirectional formatting characters (found ${char})`;
}

export function assertPlainText(field: string, text: string, options: PlainTextOptions = {}): void {
  const problem = plainTextProblem(field, text, options);
  if (problem) throw new ValidationError(problem, { code: 'UNSAFE_TEXT' });
}
