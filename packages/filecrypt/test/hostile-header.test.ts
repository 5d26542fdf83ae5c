import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeStanzaHead } from '../src/format/header.js';
import { runCli, tempDir } from './helpers.js';

/**
 * Lengths in a header are checked against the stanza type's layout before
 * anything is read or allocated: a stanza head claiming 65535 bytes (255 of
 * them would be 16 MiB, all read before the MAC is checked) is corrupt at once.
 */
const FIXED = Buffer.concat([Buffer.from('895146430d0a1a0a', 'hex'), Buffer.from([1, 0, 16]), Buffer.alloc(7, 7)]);

function header(count: number, stanzas: Buffer): Buffer {
  return Buffer.concat([FIXED, Buffer.from([count]), stanzas]);
}

describe('stanza lengths are checked before the body is read', () => {
  it.each([
    ['PBKDF2 claiming 65535 bytes', header(1, Buffer.from([1, 0xff, 0xff, 0, 0, 3, 0xe8]))],
    ['X25519 claiming 65535 bytes', header(255, Buffer.from([3, 0xff, 0xff, 1, 2, 3]))],
    ['scrypt claiming 67 bytes', header(1, Buffer.from([2, 0, 67, 10, 8, 1, 16]))],
  ])('%s: "header is corrupted", exit 4', async (_, bytes) => {
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89514643' + '0d0a1a0a');
    const dir = tempDir();
    writeFileSync(join(dir, 'x.fc'), bytes);
    const result = await runCli(['dec', join(dir, 'x.fc')], { env: { FILECRYPT_PASSPHRASE: 'x' } });
    expect(result).toMatchObject({ code: 4, stderr: 'filecrypt: header is corrupted\n' });
    const inspected = await runCli(['inspect', join(dir, 'x.fc')]);
    expect(inspected).toMatchObject({ code: 4, stderr: 'filecrypt: header is corrupted\n' });
  });

  it.each([
    [1, 69, true],
    [1, 117, true],
    [1, 68, false],
    [1, 118, false],
    [2, 68, true],
    [2, 116, true],
    [2, 117, false],
    [3, 80, true],
    [3, 81, false],
    [3, 0xffff, false],
  ])('type %i with a body of %i bytes: accepted %s', (type, length, ok) => {
    const head = Buffer.from([type, length >> 8, length & 0xff]);
    if (ok) expect(decodeStanzaHead(head)).toEqual({ type, length });
    else expect(() => decodeStanzaHead(head)).toThrow('header is corrupted');
  });
});
