import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, identityFromSecret, PUBLIC_KEY_PREFIX } from '../src/crypto/x25519.js';
import { openSegment, sealSegment } from '../src/crypto/segment.js';
import { StanzaType } from '../src/format/constants.js';
import {
  decodeFixedHeader,
  decodeStanzaBody,
  decodeStanzaHead,
  encodeHeaderBody,
  type Header,
} from '../src/format/header.js';
import { decodeMetadata, encodeMetadata } from '../src/format/metadata.js';
import { segmentNonce } from '../src/format/nonce.js';
import { counted, progressBar, wantsProgress } from '../src/io/progress.js';
import { Readable } from 'node:stream';

const prefix = Buffer.from('01020304050607', 'hex');

describe('STREAM nonce', () => {
  it('is prefix ‖ big-endian counter ‖ final flag', () => {
    expect(segmentNonce(prefix, 0, false).toString('hex')).toBe('01020304050607' + '00000000' + '00');
    expect(segmentNonce(prefix, 0x01020304, true).toString('hex')).toBe('01020304050607' + '01020304' + '01');
    expect(segmentNonce(prefix, 0xffff_ffff, true).toString('hex')).toBe('01020304050607' + 'ffffffff' + '01');
  });

  it('refuses a counter that would wrap', () => {
    expect(() => segmentNonce(prefix, 2 ** 32, false)).toThrow(
      'input too large for format version 1 (more than 2^32 segments)',
    );
  });

  it('segmentKeystream is the keystream GCM applies to the plaintext', async () => {
    const { segmentKeystream } = await import('../src/crypto/segment.js');
    const key = Buffer.alloc(32, 3);
    const plaintext = Buffer.from('0123456789abcdef-and-more');
    const [ciphertext] = sealSegment(key, prefix, 7, true, plaintext);
    const stream = segmentKeystream(key, prefix, 7, true, 20);
    const recovered = Buffer.from(stream.map((byte, i) => byte ^ ciphertext![i]!));
    expect(recovered.toString()).toBe(plaintext.subarray(0, 20).toString());
  });

  it('binds the position and the final flag into the tag', () => {
    const key = Buffer.alloc(32, 9);
    const segment = Buffer.concat(sealSegment(key, prefix, 5, false, Buffer.from('segment five')));
    expect(openSegment(key, prefix, 5, false, segment)?.toString()).toBe('segment five');
    expect(openSegment(key, prefix, 6, false, segment)).toBeUndefined();
    expect(openSegment(key, prefix, 5, true, segment)).toBeUndefined();
    expect(openSegment(Buffer.alloc(32, 8), prefix, 5, false, segment)).toBeUndefined();
  });
});

describe('header codec', () => {
  const header: Header = {
    kind: 1,
    segmentExponent: 16,
    noncePrefix: prefix,
    stanzas: [
      {
        type: StanzaType.Scrypt,
        logN: 17,
        r: 8,
        p: 1,
        salt: Buffer.alloc(16, 0xaa),
        wrappedKey: Buffer.alloc(48, 0xbb),
      },
    ],
  };

  it('encodes the documented layout and decodes it back', () => {
    const body = encodeHeaderBody(header);
    expect(body.subarray(0, 19).toString('hex')).toBe(
      '89514643' + '0d0a1a0a' + '01' + '01' + '10' + '01020304050607' + '01',
    );
    expect(body.subarray(19, 22).toString('hex')).toBe('02' + '0044');
    expect(body.length).toBe(19 + 3 + 68);
    expect(decodeFixedHeader(body)).toEqual({ kind: 1, segmentExponent: 16, noncePrefix: prefix, stanzaCount: 1 });
    const { type, length } = decodeStanzaHead(body.subarray(19, 22));
    expect(decodeStanzaBody(type, body.subarray(22, 22 + length))).toEqual(header.stanzas[0]);
  });

  it.each([
    [Buffer.from('PK\u0003\u0004 zip'), 'not a filecrypt file'],
    [Buffer.from([0x89, 0x51, 0x46]), 'truncated'],
    [Buffer.alloc(0), 'not a filecrypt file'],
  ])('rejects %j', (bytes, message) => {
    expect(() => decodeFixedHeader(bytes)).toThrow(message);
  });
});

describe('metadata codec', () => {
  it('round-trips, and leaves out names too long for a file system', () => {
    const metadata = {
      name: 'résumé.pdf',
      size: 2 ** 40 + 3,
      mtimeMs: 1_700_000_000_123,
      mode: 0o640,
      sha256: Buffer.alloc(32, 7),
    };
    const encoded = encodeMetadata(metadata);
    expect(encoded.length).toBe(320);
    expect(decodeMetadata(encoded)).toEqual(metadata);
    const { name: _name, ...rest } = metadata;
    expect(decodeMetadata(encodeMetadata({ ...rest, name: 'x'.repeat(256) }))).toEqual(rest);
  });
});

describe('key encoding', () => {
  it('round-trips and rejects a mistyped key by its checksum', () => {
    const { publicKey } = identityFromSecret(Buffer.alloc(32, 1));
    const text = encodeKey(PUBLIC_KEY_PREFIX, publicKey);
    expect(decodeKey(PUBLIC_KEY_PREFIX, text)?.equals(publicKey)).toBe(true);
    const typo = text.slice(0, 10) + (text[10] === 'A' ? 'B' : 'A') + text.slice(11);
    expect(decodeKey(PUBLIC_KEY_PREFIX, typo)).toBeUndefined();
    expect(decodeKey(PUBLIC_KEY_PREFIX, text.slice(0, -1))).toBeUndefined();
  });
});

describe('progress bar', () => {
  it('shows only for a terminal, a known size over 32 MiB, and without --quiet', () => {
    const big = 33 * 1024 * 1024;
    expect(wantsProgress({ quiet: false, stderrIsTTY: true, size: big })).toBe(true);
    expect(wantsProgress({ quiet: true, stderrIsTTY: true, size: big })).toBe(false);
    expect(wantsProgress({ quiet: false, stderrIsTTY: false, size: big })).toBe(false);
    expect(wantsProgress({ quiet: false, stderrIsTTY: true, size: undefined })).toBe(false);
    expect(wantsProgress({ quiet: false, stderrIsTTY: true, size: 32 * 1024 * 1024 })).toBe(false);
  });

  it('redraws once per whole percent', async () => {
    const written: string[] = [];
    const bar = progressBar(4 * 1048576, (text) => written.push(text), 4);
    const chunks = Readable.from([
      Buffer.alloc(1048576),
      Buffer.alloc(1048576),
      Buffer.alloc(10),
      Buffer.alloc(2 * 1048576 - 10),
    ]);
    for await (const _chunk of counted(chunks, bar.update)) void _chunk;
    bar.done();
    expect(written).toEqual([
      '\r[#...] 25% 1.0/4.0 MiB',
      '\r[##..] 50% 2.0/4.0 MiB',
      '\r[####] 100% 4.0/4.0 MiB',
      '\n',
    ]);
  });
});
