import { describe, expect, it } from 'vitest';
import {
  AGE_HEADER_LIMITS,
  encodeHeader,
  encodeHeaderWithoutMac,
  parseHeader,
  readHeader,
  verifyHeaderMac,
} from '../src/age/header.js';
import type { AgeStanza } from '../src/age/types.js';
import { ByteReader } from '../src/io/reader.js';
import { byteByByte, failure, once } from './age-test-helpers.js';

const FILE_KEY = Buffer.alloc(16, 7);
const SHARE = 'TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc';
const x25519: AgeStanza = { type: 'X25519', args: [SHARE], body: Buffer.alloc(32, 1) };
const header = (text: string) => Buffer.from(text, 'latin1');
const MAC_LINE = `--- ${'A'.repeat(43)}\n`;
const parseError = (text: string) => failure(Promise.resolve().then(() => parseHeader(header(text))));

describe('age header encoding', () => {
  it.each([0, 1, 47, 48, 49, 95, 96, 200])(
    'round-trips a stanza body of %i bytes through byte-by-byte reading',
    async (size) => {
      const stanzas: AgeStanza[] = [{ type: 'grease-x', args: ['a', 'b~!'], body: Buffer.alloc(size, 0xa5) }, x25519];
      const bytes = encodeHeader(stanzas, FILE_KEY);
      const lines = bytes.toString('latin1').split('\n');
      // A body takes ceil((size + 1) / 48) lines: full 64-column ones, then one shorter (possibly empty).
      expect(lines[2]!.length).toBe(Math.min(64, Math.ceil((size * 4) / 3)));
      const reader = new ByteReader(byteByByte(Buffer.concat([bytes, Buffer.from('payload')])));
      const parsed = await readHeader(reader);
      expect(parsed.stanzas).toEqual(stanzas);
      expect(parsed.macInput.equals(encodeHeaderWithoutMac(stanzas))).toBe(true);
      verifyHeaderMac(parsed, FILE_KEY);
      // Nothing after the MAC line was consumed.
      expect((await reader.read(100)).toString()).toBe('payload');
    },
  );

  it('writes exactly the layout of the spec', () => {
    const text = encodeHeader([x25519], FILE_KEY).toString('latin1');
    expect(text).toMatch(/^age-encryption\.org\/v1\n-> X25519 \S{43}\n\S{43}\n--- [A-Za-z0-9+/]{43}\n$/);
  });

  it('refuses a MAC under another file key: header is corrupted, exit 4', async () => {
    const parsed = parseHeader(encodeHeader([x25519], FILE_KEY));
    expect(await failure(Promise.resolve().then(() => verifyHeaderMac(parsed, Buffer.alloc(16, 8))))).toEqual({
      code: 'HEADER_CORRUPT',
      message: 'header is corrupted',
    });
  });
});

describe('age header strictness', () => {
  const v = 'age-encryption.org/v1\n';
  it.each([
    [
      'a CRLF version line',
      `age-encryption.org/v1\r\n-> a\n\n${MAC_LINE}`,
      'lines end with CRLF, not LF (a text-mode transfer?)',
    ],
    [
      'another version',
      `age-encryption.org/v2\n-> a\n\n${MAC_LINE}`,
      'unsupported version line (this filecrypt reads age-encryption.org/v1)',
    ],
    ['a stanza without a type', `${v}->\n\n${MAC_LINE}`, 'line 2: a stanza without a type'],
    [
      'an empty argument',
      `${v}-> a  b\n\n${MAC_LINE}`,
      'line 2: an empty stanza argument or one with a character outside ! to ~',
    ],
    [
      'a non-ASCII argument',
      `${v}-> a \xe9\n\n${MAC_LINE}`,
      'line 2: an empty stanza argument or one with a character outside ! to ~',
    ],
    ['a bad line start', `${v}-- a\n\n${MAC_LINE}`, 'line 2: expected a stanza ("-> ") or the MAC line ("--- ")'],
    ['padding in a body', `${v}-> a\nQUE=\n${MAC_LINE}`, 'line 2: a stanza body line is not canonical unpadded base64'],
    [
      'a non-canonical body',
      `${v}-> a\nQUF\n${MAC_LINE}`,
      'line 2: a stanza body line is not canonical unpadded base64',
    ],
    ['a CR in a body', `${v}-> a\nQUFB\r\n${MAC_LINE}`, 'line 2: a stanza body line is not canonical unpadded base64'],
    [
      'a 68-column body line',
      `${v}-> a\n${'A'.repeat(68)}\n\n${MAC_LINE}`,
      'line 2: a stanza body line is longer than 64 columns',
    ],
    [
      'no final short line',
      `${v}-> a\n${'A'.repeat(64)}\n${MAC_LINE}`,
      'line 2: the stanza has no final short body line',
    ],
    ['no body at all', `${v}-> a\n${MAC_LINE}`, 'line 2: the stanza has no final short body line'],
    [
      'two short lines',
      `${v}-> a\nAAAA\nAAAA\n${MAC_LINE}`,
      'line 4: expected a stanza ("-> ") or the MAC line ("--- ")',
    ],
    ['a short MAC', `${v}-> a\n\n--- AAAA\n`, 'line 4: the MAC line is not "--- " and 43 characters of base64'],
    [
      'a MAC with two spaces',
      `${v}-> a\n\n---  ${'A'.repeat(43)}\n`,
      'line 4: the MAC line is not "--- " and 43 characters of base64',
    ],
    [
      'a MAC with a trailing space',
      `${v}-> a\n\n--- ${'A'.repeat(43)} \n`,
      'line 4: the MAC line is not "--- " and 43 characters of base64',
    ],
    [
      'a non-canonical MAC',
      `${v}-> a\n\n--- ${'A'.repeat(42)}B\n`,
      'line 4: the MAC line is not "--- " and 43 characters of base64',
    ],
    [
      'an X25519 stanza with two arguments',
      `${v}-> X25519 ${SHARE} x\n${'A'.repeat(43)}\n${MAC_LINE}`,
      'stanza 1: a X25519 stanza takes 1 argument',
    ],
    [
      'an X25519 share of 33 bytes',
      `${v}-> X25519 ${SHARE}A\n${'A'.repeat(43)}\n${MAC_LINE}`,
      'stanza 1: X25519 share is not 32 bytes of canonical base64',
    ],
    [
      'an X25519 body of 33 bytes',
      `${v}-> X25519 ${SHARE}\n${'A'.repeat(44)}\n${MAC_LINE}`,
      'stanza 1: a X25519 stanza body must be 32 bytes',
    ],
    [
      'a scrypt work factor with a sign',
      `${v}-> scrypt ${'A'.repeat(22)} +10\n${'A'.repeat(43)}\n${MAC_LINE}`,
      'stanza 1: scrypt work factor is not a decimal from 1 to 63',
    ],
    [
      'a scrypt work factor 010',
      `${v}-> scrypt ${'A'.repeat(22)} 010\n${'A'.repeat(43)}\n${MAC_LINE}`,
      'stanza 1: scrypt work factor is not a decimal from 1 to 63',
    ],
    [
      'a scrypt salt of 15 bytes',
      `${v}-> scrypt ${'A'.repeat(20)} 10\n${'A'.repeat(43)}\n${MAC_LINE}`,
      'stanza 1: scrypt salt is not 16 bytes of canonical base64',
    ],
    [
      'scrypt beside another stanza',
      `${v}-> scrypt ${'A'.repeat(22)} 10\n${'A'.repeat(43)}\n-> a\n\n${MAC_LINE}`,
      'an scrypt stanza must be the only stanza',
    ],
  ])('refuses %s', async (_what, text, message) => {
    expect(await parseError(text)).toEqual({ code: 'AGE_HEADER', message: `not a valid age header: ${message}` });
  });

  it('skips unknown stanza types of any shape', () => {
    const parsed = parseHeader(header(`${v}-> x25519 1 2 3\nAAAA\n-> Scrypt\n\n${MAC_LINE}`));
    expect(parsed.stanzas.map((s) => [s.type, s.args.length, s.body.length])).toEqual([
      ['x25519', 3, 3],
      ['Scrypt', 0, 0],
    ]);
  });

  it('calls a header cut anywhere before its MAC line truncated (exit 4)', async () => {
    const full = encodeHeader([x25519], FILE_KEY);
    for (const cut of [0, 5, 22, 40, full.length - 1]) {
      expect(await failure(readHeader(new ByteReader(once(full.subarray(0, cut)))))).toEqual({
        code: 'TRUNCATED',
        message: 'truncated (the age header is incomplete)',
      });
    }
  });

  it('calls a short file that is not an age file not an age header', async () => {
    expect(await failure(readHeader(new ByteReader(once(Buffer.from('hello')))))).toEqual({
      code: 'AGE_HEADER',
      message: 'not a valid age header: the first line is not age-encryption.org/v1',
    });
  });
});

describe('age header limits (bounded memory)', () => {
  /** An endless source of one repeated line fragment, counting what it hands out. */
  function endless(prefix: string, fill: string) {
    const state = { pulled: 0 };
    async function* source(): AsyncGenerator<Buffer> {
      const first = Buffer.from(prefix, 'latin1');
      state.pulled += first.length;
      yield await Promise.resolve(first);
      const chunk = Buffer.from(fill.repeat(Math.ceil(65536 / fill.length)), 'latin1');
      for (;;) {
        state.pulled += chunk.length;
        yield await Promise.resolve(chunk);
      }
    }
    return { source: source(), state };
  }

  it('stops reading a line without end after 16 KiB', async () => {
    const { source, state } = endless('age-encryption.org/v1\n-> a\n', 'A');
    expect(await failure(readHeader(new ByteReader(source)))).toEqual({
      code: 'AGE_HEADER',
      message: `not a valid age header: line 3 is longer than ${AGE_HEADER_LIMITS.lineBytes} bytes`,
    });
    expect(state.pulled).toBeLessThan(200 * 1024);
  });

  it('stops reading a first line without end (a file that is not age at all)', async () => {
    const { source, state } = endless('', 'x');
    expect((await failure(readHeader(new ByteReader(source)))).code).toBe('AGE_HEADER');
    expect(state.pulled).toBeLessThan(200 * 1024);
  });

  it('stops reading endless short stanzas at 1 MiB', async () => {
    const { source, state } = endless('age-encryption.org/v1\n', '-> a\n\n');
    expect(await failure(readHeader(new ByteReader(source)))).toEqual({
      code: 'AGE_HEADER',
      message: `not a valid age header: longer than ${AGE_HEADER_LIMITS.headerBytes} bytes`,
    });
    expect(state.pulled).toBeLessThan(AGE_HEADER_LIMITS.headerBytes + 200 * 1024);
  });

  it('refuses more than 1024 stanzas', async () => {
    const text = `age-encryption.org/v1\n${'-> a\n\n'.repeat(1025)}${MAC_LINE}`;
    expect(await parseError(text)).toEqual({
      code: 'AGE_HEADER',
      message: 'not a valid age header: more than 1024 stanzas',
    });
    expect(parseHeader(header(`age-encryption.org/v1\n${'-> a\n\n'.repeat(1024)}${MAC_LINE}`)).stanzas).toHaveLength(
      1024,
    );
  });
});
