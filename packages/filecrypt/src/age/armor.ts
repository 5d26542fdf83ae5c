import { ageArmor } from '../errors.js';
import type { Sink } from '../io/sink.js';

export const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';
export const ARMOR_END = '-----END AGE ENCRYPTED FILE-----';
const COLUMNS = 64;
const LINE_BYTES = 48;
/** age ignores whitespace around the armor, up to 1024 bytes on each side, and so do we. */
export const ARMOR_MAX_WHITESPACE = 1024;

const NEWLINE = 0x0a;
const CR = 0x0d;
const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');
/** Each byte's base64 value, -1 for any other byte (so one OR over a line tells if any was bad). */
const DECODE = new Int32Array(256).fill(-1);
ALPHABET.forEach((byte, value) => {
  DECODE[byte] = value;
});
const SPACE = new Uint8Array(256);
for (const c of ' \t\n\v\f\r') SPACE[c.charCodeAt(0)] = 1;

/**
 * The armor's strict PEM, decoded as a stream with bounded memory (one
 * partial line is carried between chunks). The rules are age's: optional
 * whitespace before the begin line and after the end line (at most 1024
 * bytes each), LF or CRLF line ends, the end line's own newline optional;
 * between them 64-column lines of padded, canonical base64, the last one
 * shorter (or full) and directly followed by the end line; no headers, no
 * empty lines, no spaces, no checksum line.
 */
export async function* decodeArmor(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const decoder = new ArmorDecoder();
  for await (const chunk of source) {
    const decoded = decoder.push(chunk);
    if (decoded.length > 0) yield decoded;
  }
  const decoded = decoder.end();
  if (decoded.length > 0) yield decoded;
}

type State = 'leading' | 'body' | 'end-line' | 'trailing';

export class ArmorDecoder {
  private state: State = 'leading';
  private carry: Buffer = Buffer.alloc(0);
  private whitespace = 0;
  private trailingBytes = 0;
  private lineNumber = 0;
  /** This push's output, fresh each time: a reader may keep part of a chunk until it has room. */
  private out: Buffer = Buffer.alloc(0);
  private filled = 0;

  push(chunk: Buffer): Buffer {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    this.startOutput(data.length);
    let at = 0;
    while (at < data.length) {
      if (this.state === 'trailing') {
        this.trailing(data.subarray(at));
        break;
      }
      if (this.state === 'body') {
        at = this.fullLines(data, at);
        if (at === data.length) break;
      }
      const newline = data.indexOf(NEWLINE, at);
      if (newline === -1) {
        this.carry = Buffer.from(data.subarray(at));
        this.checkCarry();
        break;
      }
      this.line(data.subarray(at, newline));
      at = newline + 1;
    }
    return this.out.subarray(0, this.filled);
  }

  end(): Buffer {
    this.startOutput(this.carry.length);
    if (this.carry.length > 0 && this.state !== 'trailing') this.line(this.carry);
    this.carry = Buffer.alloc(0);
    if (this.state === 'leading') throw ageArmor(`no ${ARMOR_BEGIN} line`);
    if (this.state !== 'trailing') throw ageArmor(`no ${ARMOR_END} line`);
    return this.out.subarray(0, this.filled);
  }

  private startOutput(inputBytes: number): void {
    this.out = Buffer.allocUnsafe(Math.floor((inputBytes * 3) / 4) + LINE_BYTES);
    this.filled = 0;
  }

  /**
   * The common case without a line split: consecutive full 64-column lines
   * (LF or CRLF), decoded in place. Stops at anything else, which the
   * line-by-line path then accepts or names.
   */
  private fullLines(data: Buffer, from: number): number {
    let at = from;
    while (at + COLUMNS < data.length) {
      const end = at + COLUMNS;
      let next: number;
      if (data[end] === NEWLINE) next = end + 1;
      else if (data[end] === CR && data[end + 1] === NEWLINE) next = end + 2;
      else break;
      if (!this.decodeFullLine(data, at)) break;
      this.lineNumber += 1;
      at = next;
    }
    return at;
  }

  /** 64 base64 characters (no padding) at `start` into 48 output bytes; false, writing nothing, if any is not base64. */
  private decodeFullLine(source: Buffer, start: number): boolean {
    const out = this.out;
    let o = this.filled;
    let bad = 0;
    for (let i = start; i < start + COLUMNS; i += 4) {
      const n =
        (DECODE[source[i]!]! << 18) |
        (DECODE[source[i + 1]!]! << 12) |
        (DECODE[source[i + 2]!]! << 6) |
        DECODE[source[i + 3]!]!;
      bad |= n;
      out[o] = n >> 16;
      out[o + 1] = (n >> 8) & 0xff;
      out[o + 2] = n & 0xff;
      o += 3;
    }
    if (bad < 0) return false;
    this.filled = o;
    return true;
  }

  private line(raw: Buffer): void {
    this.lineNumber += 1;
    const line = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, -1) : raw;
    const where = `line ${this.lineNumber}`;
    switch (this.state) {
      case 'leading':
        if (line.every((byte) => SPACE[byte] === 1)) {
          this.whitespace += raw.length + 1;
          if (this.whitespace > ARMOR_MAX_WHITESPACE) throw ageArmor('too much whitespace before the armor');
          return;
        }
        if (line.toString('latin1') !== ARMOR_BEGIN) throw ageArmor(`the first line is not ${ARMOR_BEGIN}`);
        this.state = 'body';
        return;
      case 'body':
        if (line.length === COLUMNS && this.decodeFullLine(line, 0)) return;
        if (line.toString('latin1') === ARMOR_END) {
          this.state = 'trailing';
          return;
        }
        this.lastLine(line, where);
        this.state = 'end-line';
        return;
      case 'end-line':
        if (line.toString('latin1') !== ARMOR_END) {
          throw ageArmor(`${where}: a short line must be followed by ${ARMOR_END}`);
        }
        this.state = 'trailing';
        return;
      default:
        throw new Error('armor line after the end');
    }
  }

  /** The last data line: shorter than 64 columns or padded, canonical with its padding. */
  private lastLine(line: Buffer, where: string): void {
    if (line.length === 0) throw ageArmor(`${where}: an empty line`);
    if (line.length > COLUMNS) throw ageArmor(`${where}: longer than ${COLUMNS} columns`);
    const text = line.toString('latin1');
    const decoded = Buffer.from(text, 'base64');
    const padding = text.length - text.replace(/=+$/, '').length;
    const valid =
      text.length % 4 === 0 &&
      padding <= 2 &&
      line.subarray(0, line.length - padding).every((byte) => DECODE[byte]! >= 0) &&
      decoded.toString('base64') === text;
    if (!valid) throw ageArmor(`${where}: not canonical padded base64`);
    this.filled += decoded.copy(this.out, this.filled);
  }

  /** After the end line: whitespace only, less than 1024 bytes (age's limit). */
  private trailing(data: Buffer): void {
    if (!data.every((byte) => SPACE[byte] === 1)) throw ageArmor(`data after ${ARMOR_END}`);
    this.trailingBytes += data.length;
    if (this.trailingBytes >= ARMOR_MAX_WHITESPACE) throw ageArmor(`too much whitespace after ${ARMOR_END}`);
  }

  /** A partial line is never longer than a line may be (plus CR), so a line without newlines cannot grow it. */
  private checkCarry(): void {
    const limit = this.state === 'leading' ? ARMOR_MAX_WHITESPACE + ARMOR_BEGIN.length + 1 : COLUMNS + 1;
    if (this.carry.length > limit) {
      throw this.state === 'leading'
        ? ageArmor(`the first line is not ${ARMOR_BEGIN}`)
        : ageArmor(`line ${this.lineNumber + 1}: longer than ${COLUMNS} columns`);
    }
  }
}

/**
 * Armor what is written to `inner`: the begin line, 64-column lines of
 * padded base64, the end line and a final newline, as age writes it (a file
 * whose length is a multiple of 48 bytes ends with a full line).
 */
export function armorSink(inner: Sink): Sink {
  let started = false;
  let rest: Buffer = Buffer.alloc(0);
  const begin = () => {
    if (started) return '';
    started = true;
    return `${ARMOR_BEGIN}\n`;
  };
  return {
    async write(chunks) {
      const data = rest.length > 0 ? Buffer.concat([rest, ...chunks]) : Buffer.concat(chunks);
      const whole = data.length - (data.length % LINE_BYTES);
      rest = Buffer.from(data.subarray(whole));
      const head = begin();
      if (whole === 0 && head === '') return;
      await inner.write([Buffer.from(head, 'latin1'), encodeFullLines(data.subarray(0, whole))]);
    },
    async end() {
      const last = rest.length > 0 ? `${rest.toString('base64')}\n` : '';
      await inner.write([Buffer.from(`${begin()}${last}${ARMOR_END}\n`, 'latin1')]);
      await inner.end();
    },
  };
}

/**
 * Whole 48-byte groups as 64-column lines. Encoded here rather than by
 * Buffer's base64 and a split into lines: building large strings was the
 * slowest part of armoring (measured several times slower for 256 MiB).
 */
function encodeFullLines(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe((bytes.length / LINE_BYTES) * (COLUMNS + 1));
  let o = 0;
  for (let line = 0; line < bytes.length; line += LINE_BYTES) {
    for (let i = line; i < line + LINE_BYTES; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out[o] = ALPHABET[n >> 18]!;
      out[o + 1] = ALPHABET[(n >> 12) & 63]!;
      out[o + 2] = ALPHABET[(n >> 6) & 63]!;
      out[o + 3] = ALPHABET[n & 63]!;
      o += 4;
    }
    out[o] = NEWLINE;
    o += 1;
  }
  return out;
}
