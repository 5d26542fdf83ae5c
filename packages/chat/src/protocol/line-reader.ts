import { MAX_CLIENT_TAG_BYTES, MAX_LINE_BYTES } from './message.js';

export type ReadItem = { readonly line: string } | { readonly tooLong: true };

/**
 * Splits a byte stream into lines ending in LF (CR LF or bare LF, as nc sends).
 * A line longer than the limit is reported once, as soon as it is known to be too
 * long, and the rest of it is discarded up to its LF, so memory stays bounded.
 * Bytes are decoded as UTF-8 with invalid sequences replaced by U+FFFD.
 *
 * IRCv3 message tags have a budget of their own: a line starting with `@` may carry `maxTagBytes` of tag data
 * (plus its `@` and space) before the rest, which is still held to `maxBytes`.
 */
export class LineReader {
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(
    private readonly maxBytes = MAX_LINE_BYTES,
    private readonly maxTagBytes = MAX_CLIENT_TAG_BYTES,
  ) {}

  push(chunk: Buffer): ReadItem[] {
    const items: ReadItem[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.discarding) {
        if (newline !== -1) this.discarding = false;
      } else {
        this.parts.push(chunk.subarray(start, end));
        this.size += end - start;
        if (newline !== -1) {
          const line = this.take();
          // Content plus CR LF must fit; a bare LF line is measured as if it had CR LF.
          const content = line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
          if (this.exceeds(content)) items.push({ tooLong: true });
          else if (content.length > 0) items.push({ line: content.toString('utf8') });
        } else if (this.size > this.maxBytes - 1 + this.tagAllowance()) {
          // Even a CR LF arriving next could not make this fit: give up on it now.
          this.take();
          this.discarding = true;
          items.push({ tooLong: true });
        }
      }
      start = newline === -1 ? chunk.length : newline + 1;
    }
    return items;
  }

  /** Content plus CR LF must fit; a bare LF line is measured as if it had CR LF. Tags are measured apart. */
  private exceeds(content: Buffer): boolean {
    if (content[0] !== AT) return content.length + 2 > this.maxBytes;
    const space = content.indexOf(0x20);
    const tagData = (space === -1 ? content.length : space) - 1;
    const rest = space === -1 ? 0 : content.length - space - 1;
    return tagData > this.maxTagBytes || rest + 2 > this.maxBytes;
  }

  /** How much more than `maxBytes` the line being read may take: its `@`, tag data and space, once it has tags. */
  private tagAllowance(): number {
    return this.parts[0]?.[0] === AT ? this.maxTagBytes + 2 : 0;
  }

  private take(): Buffer {
    const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return line;
  }
}

const AT = 0x40;
