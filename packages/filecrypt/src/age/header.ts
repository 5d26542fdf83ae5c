import { createHmac, timingSafeEqual } from 'node:crypto';
import { ageHeader, ageHeaderMac, ageHeaderTruncated } from '../errors.js';
import type { ByteReader } from '../io/reader.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { hkdf } from './kdf.js';
import { checkKnownStanza } from './stanza-rules.js';
import type { AgeStanza } from './types.js';

export const AGE_VERSION_LINE = 'age-encryption.org/v1';
const VERSION_PREFIX = 'age-encryption.org/';
const BODY_COLUMNS = 64;
const BODY_LINE_BYTES = 48;
const MAC_BYTES = 32;

/**
 * What a hostile header may cost, all checked while it is read, before any
 * parsing or key work: one line at most 16 KiB (the longest known line, an
 * mlkem768x25519 stanza's, is about 1.5 KiB), the whole header at most
 * 1 MiB, and at most 1024 stanzas (each may cost an unwrap attempt per
 * identity). age itself has no limits; no real header comes near these.
 */
export const AGE_HEADER_LIMITS = { lineBytes: 16 * 1024, headerBytes: 1024 * 1024, stanzas: 1024 } as const;

export interface AgeHeader {
  stanzas: AgeStanza[];
  /** The header bytes the MAC covers: everything through the `---` of the MAC line. */
  macInput: Buffer;
  mac: Buffer;
}

/**
 * Read and parse the header, consuming it and nothing after it. Lines are
 * found in the reader's window and the whole header is parsed once its MAC
 * line has arrived, so the window holds at most AGE_HEADER_LIMITS.headerBytes.
 */
export async function readHeader(reader: ByteReader): Promise<AgeHeader> {
  let lineStart = 0;
  let scanned = 0;
  let lineNumber = 1;
  for (;;) {
    if (scanned === reader.buffered) {
      const before = reader.buffered;
      const wanted = Math.min(before + 64 * 1024, AGE_HEADER_LIMITS.headerBytes);
      if (before >= AGE_HEADER_LIMITS.headerBytes)
        throw ageHeader(`longer than ${AGE_HEADER_LIMITS.headerBytes} bytes`);
      if ((await reader.fill(wanted)) === before) {
        const partial = reader.peek(before).subarray(lineStart).toString('latin1');
        if (lineNumber === 1 && !AGE_VERSION_LINE.startsWith(partial)) checkVersionLine(partial);
        throw ageHeaderTruncated();
      }
    }
    const window = reader.peek(reader.buffered);
    const newline = window.indexOf(0x0a, scanned);
    const lineEnd = newline === -1 ? window.length : newline;
    if (lineEnd - lineStart > AGE_HEADER_LIMITS.lineBytes) {
      throw ageHeader(`line ${lineNumber} is longer than ${AGE_HEADER_LIMITS.lineBytes} bytes`);
    }
    if (newline === -1) {
      scanned = window.length;
      continue;
    }
    const line = window.subarray(lineStart, newline);
    if (lineNumber === 1) checkVersionLine(line.toString('latin1'));
    if (line.subarray(0, 3).toString('latin1') === '---') {
      const header = Buffer.from(window.subarray(0, newline + 1));
      reader.skip(newline + 1);
      return parseHeader(header);
    }
    lineStart = scanned = newline + 1;
    lineNumber += 1;
  }
}

/** Parse a complete header, from the version line through the MAC line's LF, as strictly as the spec asks. */
export function parseHeader(bytes: Buffer): AgeHeader {
  const lines = bytes.toString('latin1').split('\n');
  if (lines.pop() !== '') throw ageHeader('the MAC line does not end with a newline');
  checkVersionLine(lines[0]!);
  const stanzas: AgeStanza[] = [];
  let index = 1;
  let offset = lines[0]!.length + 1;
  const next = () => {
    const line = lines[index];
    if (line !== undefined) offset += line.length + 1;
    index += 1;
    return line;
  };
  for (;;) {
    const macLineStart = offset;
    const where = `line ${index + 1}`;
    const line = next();
    if (line === undefined) throw ageHeader('no MAC line');
    if (line.startsWith('---')) {
      if (index !== lines.length) throw ageHeader(`${where}: data after the MAC line`);
      const mac = parseMacLine(line, where);
      const header = { stanzas, macInput: bytes.subarray(0, macLineStart + 3), mac };
      checkStanzas(stanzas);
      return header;
    }
    if (stanzas.length === AGE_HEADER_LIMITS.stanzas) throw ageHeader(`more than ${AGE_HEADER_LIMITS.stanzas} stanzas`);
    stanzas.push(parseStanza(line, where, next));
  }
}

function parseStanza(line: string, where: string, next: () => string | undefined): AgeStanza {
  const [prefix, ...args] = line.split(' ');
  if (prefix !== '->') throw ageHeader(`${where}: expected a stanza ("-> ") or the MAC line ("--- ")`);
  if (args.length === 0) throw ageHeader(`${where}: a stanza without a type`);
  if (!args.every(isValidArgument))
    throw ageHeader(`${where}: an empty stanza argument or one with a character outside ! to ~`);
  const body: Buffer[] = [];
  for (;;) {
    const bodyLine = next();
    if (bodyLine === undefined) throw ageHeader(`${where}: the stanza has no final short body line`);
    if (bodyLine.length > BODY_COLUMNS)
      throw ageHeader(`${where}: a stanza body line is longer than ${BODY_COLUMNS} columns`);
    const bytes = decodeBase64(bodyLine);
    if (!bytes) {
      throw bodyLine.startsWith('-')
        ? ageHeader(`${where}: the stanza has no final short body line`)
        : ageHeader(`${where}: a stanza body line is not canonical unpadded base64`);
    }
    body.push(bytes);
    if (bytes.length < BODY_LINE_BYTES) break;
  }
  return { type: args[0]!, args: args.slice(1), body: Buffer.concat(body) };
}

function parseMacLine(line: string, where: string): Buffer {
  const [prefix, ...args] = line.split(' ');
  const mac = args.length === 1 && prefix === '---' ? decodeBase64(args[0]!) : undefined;
  if (mac?.length !== MAC_BYTES) throw ageHeader(`${where}: the MAC line is not "--- " and 43 characters of base64`);
  return mac;
}

/** Rules over the whole stanza list: each known type's shape, and scrypt alone. */
function checkStanzas(stanzas: readonly AgeStanza[]): void {
  stanzas.forEach((stanza, index) => checkKnownStanza(stanza, `stanza ${index + 1}`));
  if (stanzas.length > 1 && stanzas.some((stanza) => stanza.type === 'scrypt')) {
    throw ageHeader('an scrypt stanza must be the only stanza');
  }
}

function checkVersionLine(line: string): void {
  if (line === AGE_VERSION_LINE) return;
  if (line === `${AGE_VERSION_LINE}\r`) throw ageHeader('lines end with CRLF, not LF (a text-mode transfer?)');
  throw line.startsWith(VERSION_PREFIX)
    ? ageHeader(`unsupported version line (this filecrypt reads ${AGE_VERSION_LINE})`)
    : ageHeader(`the first line is not ${AGE_VERSION_LINE}`);
}

/** Printable US-ASCII, at least one character (the spec's arbitrary string). */
function isValidArgument(argument: string): boolean {
  return /^[\x21-\x7e]+$/.test(argument);
}

/** The header as written, through `---` (what the MAC covers). */
export function encodeHeaderWithoutMac(stanzas: readonly AgeStanza[]): Buffer {
  const parts = [`${AGE_VERSION_LINE}\n`];
  for (const stanza of stanzas) {
    const words = [stanza.type, ...stanza.args];
    if (!words.every(isValidArgument)) throw new RangeError(`invalid ${stanza.type} stanza argument`);
    parts.push(`-> ${words.join(' ')}\n`);
    const body = encodeBase64(stanza.body);
    // Full 64-column lines, then a shorter one, empty when the body fills its last line.
    for (let at = 0; at <= body.length; at += BODY_COLUMNS) parts.push(`${body.slice(at, at + BODY_COLUMNS)}\n`);
  }
  parts.push('---');
  return Buffer.from(parts.join(''), 'latin1');
}

export function encodeHeader(stanzas: readonly AgeStanza[], fileKey: Buffer): Buffer {
  const macInput = encodeHeaderWithoutMac(stanzas);
  return withMac(macInput, headerMac(fileKey, macInput));
}

/** A parsed header written back (its MAC as read): the same bytes, since parsing admits one encoding only. */
export function encodeParsedHeader(header: Pick<AgeHeader, 'stanzas' | 'mac'>): Buffer {
  return withMac(encodeHeaderWithoutMac(header.stanzas), header.mac);
}

function withMac(macInput: Buffer, mac: Buffer): Buffer {
  return Buffer.concat([macInput, Buffer.from(` ${encodeBase64(mac)}\n`, 'latin1')]);
}

export function headerMac(fileKey: Buffer, macInput: Buffer): Buffer {
  return createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header'))
    .update(macInput)
    .digest();
}

/** Throws "header is corrupted" (exit 4) unless the MAC matches under this file key. */
export function verifyHeaderMac(header: AgeHeader, fileKey: Buffer): void {
  if (!timingSafeEqual(headerMac(fileKey, header.macInput), header.mac)) throw ageHeaderMac();
}
