import { MAX_LINE_BYTES } from './message.js';

/*
 * The one part of the protocol that needs Node's Buffer, kept apart from message.ts so that the web client can
 * bundle the parser and formatter without it.
 */

const CRLF = Buffer.from('\r\n');

/** The line as bytes with CR LF, cut at a character boundary so that it never exceeds 512 bytes. */
export function encodeLine(line: string): Buffer {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= MAX_LINE_BYTES - 2) return Buffer.concat([bytes, CRLF]);
  let end = MAX_LINE_BYTES - 2;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return Buffer.concat([bytes.subarray(0, end), CRLF]);
}
