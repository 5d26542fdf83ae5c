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
const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64[c.charCodeAt(0)] = 1;
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
  /** Full lines of this push, decoded together. */
  private full: Buffer[] = [];
  private last: Buffer | undefined;

  push(chunk: Buffer): Buffer {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    let at = 0;
    while (at < data.length) {
      if (this.state === 'trailing') {
        this.trailing(data.subarray(at));
        break;
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
    return this.output();
  }

  end(): Buffer {
    if (this.carry.length > 0 && this.state !== 'trailing') this.line(this.carry);
    this.carry = Buffer.alloc(0);
    if (this.state === 'leading') throw ageArmor(`no ${ARMOR_BEGIN} line`);
    if (this.state !== 'trailing') throw ageArmor(`no ${ARMOR_END} line`);
    return this.output();
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
        if (line.length === COLUMNS && isFullLine(line)) {
          this.full.push(line);
          return;
        }
        if (line.toString('latin1') === ARMOR_END) {
          this.state = 'trailing';
          return;
        }
        this.lastLine(line, where);
        this.state = 'end-line';
        return;
      case 'end-line':
        if (line.toString('latin1') !== ARMOR_END)
          throw ageArmor(`${where}: a short line must be followed by ${ARMOR_END}`);
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
      line.subarray(0, line.length - padding).every((byte) => BASE64[byte] === 1) &&
      decoded.toString('base64') === text;
    if (!valid) throw ageArmor(`${where}: not canonical padded base64`);
    this.last = decoded;
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

  private output(): Buffer {
    const parts: Buffer[] = [];
    if (this.full.length > 0) parts.push(Buffer.from(Buffer.concat(this.full).toString('latin1'), 'base64'));
    if (this.last) parts.push(this.last);
    this.full = [];
    this.last = undefined;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }
}

/** 64 base64 characters without padding: 48 bytes, canonical by construction. */
function isFullLine(line: Buffer): boolean {
  for (let i = 0; i < line.length; i += 1) if (BASE64[line[i]!] !== 1) return false;
  return true;
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
      const data = Buffer.concat([rest, ...chunks]);
      const whole = data.length - (data.length % LINE_BYTES);
      rest = Buffer.from(data.subarray(whole));
      const text = begin() + lines(data.subarray(0, whole));
      if (text.length > 0) await inner.write([Buffer.from(text, 'latin1')]);
    },
    async end() {
      const last = rest.length > 0 ? `${rest.toString('base64')}\n` : '';
      await inner.write([Buffer.from(`${begin()}${last}${ARMOR_END}\n`, 'latin1')]);
      await inner.end();
    },
  };
}

function lines(bytes: Buffer): string {
  const text = bytes.toString('base64');
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += COLUMNS) parts.push(text.slice(at, at + COLUMNS), '\n');
  return parts.join('');
}
