/**
 * Text from a file (archive entry names, link targets, the stored name) is
 * the sender's. Shown raw, an escape sequence could rewrite the terminal, a
 * newline forge a second message, a bidirectional control reorder what is
 * read (Trojan Source). These are escaped as \xNN or \uNNNN: C0 and C1
 * controls, DEL, and the bidirectional formatting characters (the set
 * @quartet/core/text refuses; core's module only finds the first, so the
 * escaping lives here).
 */
// Built from strings, as core does: a literal with control characters trips no-control-regex.
const CONTROLS = '\\u0000-\\u001f\\u007f-\\u009f';
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE = new RegExp(`[${CONTROLS}${BIDI}]`, 'gu');

export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
