import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import { ARCHIVE_PASSPHRASE, encryptTar, tarOf } from './tar-fixtures.js';

/**
 * Names from a file (archive entries, link targets, the stored name) are the
 * sender's: printed raw, an escape sequence could rewrite the terminal and a
 * newline could forge a second message. They are shown with control and
 * bidirectional formatting characters escaped, so every error stays one line.
 */
const ENV = { FILECRYPT_PASSPHRASE: ARCHIVE_PASSPHRASE };

describe('sender-controlled names are printed escaped', () => {
  it('an archive entry name with ESC, a newline and U+202E: one escaped line', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'work'));
    await encryptTar(tarOf([{ path: 'a\x1b[2J\nfilecrypt: ok\u202etxt', type: 'FIFO' }]), join(dir, 'work', 'x.fc'));
    const result = await runCli(['dec', join(dir, 'work', 'x.fc'), '-o', join(dir, 'work', 'out')], { env: ENV });
    expect(result).toMatchObject({
      code: 4,
      stderr: 'filecrypt: refusing archive entry of type FIFO: a\\x1b[2J\\x0afilecrypt: ok\\u202etxt\n',
    });
    expect(readdirSync(join(dir, 'work'))).toEqual(['x.fc']);
  });

  it('inspect shows a stored name with control characters escaped', async () => {
    const dir = tempDir();
    const name = 'report\x1b]0;owned\x07.pdf';
    writeFileSync(join(dir, name), 'x');
    const enc = await runCli(['enc', join(dir, name), '-o', join(dir, 'x.fc'), '--iter', '1000'], { env: ENV });
    expect(enc.code).toBe(0);
    const result = await runCli(['inspect', join(dir, 'x.fc')], { env: ENV });
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toContain('\nname: report\\x1b]0;owned\\x07.pdf\n');
  });
});
