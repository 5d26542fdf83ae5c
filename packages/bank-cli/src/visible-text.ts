import { unsafeCharacter } from '@quartet/core/text';

/**
 * Text on its way to a terminal, a statement file or a spreadsheet, with every
 * control or bidirectional formatting character (core's unsafeCharacter) shown
 * as <U+XXXX> instead of acting: no escape sequence, carriage return or
 * right-to-left override from the database reaches the screen. New notes and
 * names with such characters are refused at the edge; this covers rows written
 * before that rule or by other programs. Line ends (LF, and CRLF for CSV) are
 * kept; a lone CR, which would let text overwrite its own line, is not.
 */
export function visible(text: string): string {
  if (unsafeCharacter(text.replace(/\r?\n/g, ' ')) === undefined) return text;
  return text
    .split(/(\r?\n)/)
    .map((part, i) => (i % 2 === 1 ? part : Array.from(part, escapeUnsafe).join('')))
    .join('');
}

function escapeUnsafe(char: string): string {
  const code = unsafeCharacter(char);
  return code === undefined ? char : `<${code}>`;
}

/**
 * JSON for output: JSON.stringify leaves C1 controls, DEL and bidirectional
 * controls raw inside strings; written as \uXXXX they parse back to the same
 * value but cannot act on a terminal that shows the JSON.
 */
export function jsonForOutput(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[^\x20-\x7e\n]/gu, (char) =>
    unsafeCharacter(char) === undefined ? char : `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}
