import { describe, expect, it } from 'vitest';
import { ARMOR_BEGIN, ARMOR_END, armorSink, decodeArmor } from '../src/age/armor.js';
import { AGE_SNIFF_BYTES, sniffAge } from '../src/age/decrypt.js';
import { byteByByte, collectingSink, failure, once } from './age-test-helpers.js';

const bytes = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 13 + 5) & 0xff));

async function armor(data: Buffer, pieces = 1): Promise<string> {
  const sink = collectingSink();
  const writer = armorSink(sink);
  const step = Math.ceil(data.length / pieces) || 1;
  for (let at = 0; at < data.length; at += step) await writer.write([data.subarray(at, at + step)]);
  await writer.end();
  expect(sink.ended()).toBe(true);
  return sink.bytes().toString('latin1');
}

async function dearmor(text: string | Buffer, source = once): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of decodeArmor(source(Buffer.from(text)))) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

const armorFailure = (text: string) => failure(dearmor(text));
const body = (size: number) => bytes(size).toString('base64');
const wrap = (lines: string[]) => `${ARMOR_BEGIN}\n${lines.join('\n')}\n${ARMOR_END}\n`;

describe('age armor round trips', () => {
  it.each([1, 2, 3, 47, 48, 49, 95, 96, 97, 1000])('%i bytes, written in pieces, read byte by byte', async (size) => {
    const data = bytes(size);
    const text = await armor(data, 3);
    const lines = text.split('\n');
    expect(lines[0]).toBe(ARMOR_BEGIN);
    expect(lines.at(-2)).toBe(ARMOR_END);
    expect(lines.at(-1)).toBe('');
    // Every data line but the last is 64 columns; the last is padded base64 of the rest.
    const data64 = lines.slice(1, -2);
    expect(data64.slice(0, -1).every((line) => line.length === 64)).toBe(true);
    expect(data64.join('')).toBe(data.toString('base64'));
    expect((await dearmor(text, byteByByte)).equals(data)).toBe(true);
  });

  it('accepts CRLF lines, a missing final newline, and whitespace around the armor', async () => {
    const text = await armor(bytes(100));
    expect((await dearmor(text.replaceAll('\n', '\r\n'))).equals(bytes(100))).toBe(true);
    expect((await dearmor(text.slice(0, -1))).equals(bytes(100))).toBe(true);
    expect((await dearmor(` \t\r\n\n${text}\n \r\n`)).equals(bytes(100))).toBe(true);
  });
});

describe('age armor strictness', () => {
  const full = body(48);
  it.each([
    ['no begin line', `${full}\n${ARMOR_END}\n`, 'the first line is not -----BEGIN AGE ENCRYPTED FILE-----'],
    [
      'a lowercase label',
      wrap([full]).replace('AGE', 'age'),
      'the first line is not -----BEGIN AGE ENCRYPTED FILE-----',
    ],
    ['spaces before the begin line', ` ${wrap([full])}`, 'the first line is not -----BEGIN AGE ENCRYPTED FILE-----'],
    ['no end line', `${ARMOR_BEGIN}\n${full}\n`, 'no -----END AGE ENCRYPTED FILE----- line'],
    ['a header field', wrap(['Version: 1', '', full]), 'line 2: not canonical padded base64'],
    ['an empty line', wrap([full, '', body(3)]), 'line 3: an empty line'],
    ['a 68-column line', wrap([body(51)]), 'line 2: longer than 64 columns'],
    [
      'a short middle line',
      wrap([body(3), full]),
      'line 3: a short line must be followed by -----END AGE ENCRYPTED FILE-----',
    ],
    ['missing padding', wrap([body(4).replace(/=+$/, '')]), 'line 2: not canonical padded base64'],
    ['non-canonical padding bits', wrap(['QUF=']), 'line 2: not canonical padded base64'],
    ['a space at the end of a line', wrap([`${body(3)} `]), 'line 2: not canonical padded base64'],
    ['a space at the start of a line', wrap([` ${body(3)}`]), 'line 2: not canonical padded base64'],
    [
      'a checksum line',
      wrap([body(3), '=abcd']),
      'line 3: a short line must be followed by -----END AGE ENCRYPTED FILE-----',
    ],
    ['garbage after the end line', `${wrap([full])}x\n`, 'data after -----END AGE ENCRYPTED FILE-----'],
    [
      '1024 bytes of whitespace after',
      `${wrap([full])}${' '.repeat(1024)}`,
      'too much whitespace after -----END AGE ENCRYPTED FILE-----',
    ],
    [
      'over 1024 bytes of whitespace before',
      `${'\n'.repeat(1025)}${wrap([full])}`,
      'too much whitespace before the armor',
    ],
  ])('refuses %s', async (_what, text, message) => {
    expect(await armorFailure(text)).toEqual({ code: 'AGE_ARMOR', message: `not a valid age armor: ${message}` });
  });

  it('stops at the 65th column of a line that never ends (bounded memory)', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield await Promise.resolve(Buffer.from(`${ARMOR_BEGIN}\n`));
      for (;;) {
        pulled += 65536;
        yield await Promise.resolve(Buffer.alloc(65536, 0x41));
      }
    }
    const parts: Buffer[] = [];
    const read = (async () => {
      for await (const part of decodeArmor(endless())) parts.push(part);
    })();
    expect(await failure(read)).toEqual({
      code: 'AGE_ARMOR',
      message: 'not a valid age armor: line 2: longer than 64 columns',
    });
    expect(pulled).toBe(65536);
  });

  it('accepts up to 1023 bytes of whitespace after the end line', async () => {
    expect((await dearmor(`${wrap([body(48)])}${' '.repeat(1023)}`)).equals(bytes(48))).toBe(true);
  });
});

describe('sniffAge', () => {
  it.each([
    ['age-encryption.org/v1\n-> X25519', 'binary'],
    ['age-encryption.org/v2\n', 'binary'],
    [`${ARMOR_BEGIN}\n`, 'armored'],
    [`\r\n \t\n${ARMOR_BEGIN}\r\n`, 'armored'],
    [`${' '.repeat(1024)}${ARMOR_BEGIN}`, 'armored'],
    [`${' '.repeat(1025)}${ARMOR_BEGIN}`, undefined],
    ['-----BEGIN AGE ENCRYPTED', undefined],
    ['Salted__', undefined],
    ['', undefined],
  ])('%j is %s', (head, kind) => {
    expect(sniffAge(Buffer.from(head))).toBe(kind);
  });

  it('needs at most AGE_SNIFF_BYTES', () => {
    expect(AGE_SNIFF_BYTES).toBe(1024 + ARMOR_BEGIN.length);
    expect(sniffAge(Buffer.from(`${' '.repeat(1024)}${ARMOR_BEGIN}`).subarray(0, AGE_SNIFF_BYTES))).toBe('armored');
  });
});
