import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryProblem } from '../src/io/archive-paths.js';
import { runCli, seededBytes, tempDir } from './helpers.js';
import { encryptTar, tarOf } from './tar-fixtures.js';

const ENV = { FILECRYPT_PASSPHRASE: 'directory passphrase' };
const SIZES = [0, 1, 65535, 65536, 65537, 3 * 65536];
const MTIME = new Date('2023-06-07T08:09:10Z');

function makeTree(root: string, withBigFile: boolean): Record<string, { mode: number; data: Buffer }> {
  const files: Record<string, { mode: number; data: Buffer }> = {};
  const add = (path: string, data: Buffer, mode: number) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), data);
    chmodSync(join(root, path), mode);
    utimesSync(join(root, path), MTIME, MTIME);
    files[path] = { mode, data };
  };
  SIZES.forEach((size, index) =>
    add(`sizes/f${size}.bin`, seededBytes(`dir ${size}`, size), [0o644, 0o600, 0o640][index % 3]!),
  );
  add('bin/run.sh', Buffer.from('#!/bin/sh\necho hi\n'), 0o755);
  add('deep/er/still/note.txt', Buffer.from('deep\n'), 0o644);
  if (withBigFile) add('big.bin', seededBytes(`big ${Math.random()}`, 10 * 1024 * 1024), 0o644);
  // Longer than ustar's 100 + 155 bytes: node-tar writes pax records.
  add(`${'long-dir-'.repeat(12)}/${'long-name-'.repeat(14)}.txt`, Buffer.from('long\n'), 0o644);
  add('read-only/inside.txt', Buffer.from('ro\n'), 0o444);
  chmodSync(join(root, 'read-only'), 0o555);
  symlinkSync('../sizes/f1.bin', join(root, 'bin', 'link-to-f1'));
  mkdirSync(join(root, 'empty-dir'));
  chmodSync(join(root, 'empty-dir'), 0o700);
  utimesSync(join(root, 'empty-dir'), MTIME, MTIME);
  return files;
}

describe('directory round trips', () => {
  it.each([false, true])(
    'enc DIR -o x.fc, dec x.fc -o OUTDIR keeps contents, modes, mtimes, links (10 MiB file: %s)',
    async (big) => {
      const dir = tempDir();
      const files = makeTree(join(dir, 'tree'), big);
      const enc = await runCli(['enc', join(dir, 'tree'), '-o', join(dir, 'tree.fc'), '--iter', '1000'], { env: ENV });
      expect(enc).toMatchObject({ code: 0, stderr: '' });
      const inspect = await runCli(['inspect', join(dir, 'tree.fc')]);
      expect(inspect.stdout.toString()).toContain('content: directory (tar)\n');
      const dec = await runCli(['dec', join(dir, 'tree.fc'), '-o', join(dir, 'out')], { env: ENV });
      expect(dec).toMatchObject({ code: 0, stderr: '' });
      for (const [path, { mode, data }] of Object.entries(files)) {
        const restored = join(dir, 'out', path);
        expect(readFileSync(restored).equals(data), path).toBe(true);
        expect((statSync(restored).mode & 0o777).toString(8), path).toBe(mode.toString(8));
        expect(statSync(restored).mtime.toISOString(), path).toBe(MTIME.toISOString());
      }
      expect(readlinkSync(join(dir, 'out', 'bin', 'link-to-f1'))).toBe('../sizes/f1.bin');
      expect(statSync(join(dir, 'out', 'empty-dir')).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'out', 'empty-dir')).mtime.toISOString()).toBe(MTIME.toISOString());
      expect(statSync(join(dir, 'out', 'read-only')).mode & 0o777).toBe(0o555);
      expect(readdirSync(dir).sort()).toEqual(['out', 'tree', 'tree.fc']);
    },
  );

  it('an existing OUTDIR needs --force; without -o the tar stream goes to stdout', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'tree'));
    writeFileSync(join(dir, 'tree', 'a.txt'), 'a');
    expect(
      (await runCli(['enc', join(dir, 'tree'), '-o', join(dir, 't.fc'), '--iter', '1000'], { env: ENV })).code,
    ).toBe(0);
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'old'), 'old');
    const refused = await runCli(['dec', join(dir, 't.fc'), '-o', join(dir, 'out')], { env: ENV });
    expect(refused).toMatchObject({
      code: 8,
      stderr: `filecrypt: ${join(dir, 'out')} already exists; use --force to overwrite it\n`,
    });
    const forced = await runCli(['dec', join(dir, 't.fc'), '-o', join(dir, 'out'), '--force'], { env: ENV });
    expect(forced.code).toBe(0);
    expect(readdirSync(join(dir, 'out'))).toEqual(['a.txt']);
    mkdirSync(join(dir, 'restore'));
    const restored = await runCli(['dec', join(dir, 't.fc'), '--restore-name', '-o', join(dir, 'restore')], {
      env: ENV,
    });
    expect(restored).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(join(dir, 'restore'))).toEqual(['tree']);
    expect(readFileSync(join(dir, 'restore', 'tree', 'a.txt'), 'utf8')).toBe('a');
    const raw = await runCli(['dec', join(dir, 't.fc')], { env: ENV });
    expect(raw.code).toBe(0);
    expect(raw.stdout.subarray(257, 262).toString()).toBe('ustar');
  });
});

describe('path traversal is refused', () => {
  const cases = [
    [
      'absolute path',
      [{ path: '/tmp/filecrypt-evil', data: 'x' }],
      'refusing archive entry with an absolute path: /tmp/filecrypt-evil',
    ],
    ['..', [{ path: '../evil', data: 'x' }], 'refusing archive entry outside the output directory: ../evil'],
    [
      '.. inside a path',
      [{ path: 'a/../../evil', data: 'x' }],
      'refusing archive entry outside the output directory: a/../../evil',
    ],
    [
      'symlink out of the directory',
      [{ path: 'up', type: 'SymbolicLink', linkpath: '../../outside' }],
      'refusing link that points outside the output directory: up -> ../../outside',
    ],
    [
      'symlink to an absolute path',
      [{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }],
      'refusing link with an absolute target: etc -> /etc',
    ],
    [
      'hard link out of the directory',
      [
        { path: 'ok.txt', data: 'fine' },
        { path: 'hard', type: 'Link', linkpath: '../secret' },
      ],
      'refusing link that points outside the output directory: hard -> ../secret',
    ],
    [
      'a device node',
      [{ path: 'dev', type: 'CharacterDevice' }],
      'refusing archive entry of type CharacterDevice: dev',
    ],
  ] as const;

  it.each(cases)('%s: exit 4, no OUTDIR, nothing outside', async (_, entries, message) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'work'));
    await encryptTar(tarOf([...entries]), join(dir, 'work', 'evil.fc'));
    const result = await runCli(['dec', join(dir, 'work', 'evil.fc'), '-o', join(dir, 'work', 'out')], { env: ENV });
    expect(result).toMatchObject({ code: 4, stderr: `filecrypt: ${message}\n` });
    expect(readdirSync(join(dir, 'work'))).toEqual(['evil.fc']);
    expect(readdirSync(dir)).toEqual(['work']);
    expect(existsSync('/tmp/filecrypt-evil')).toBe(false);
  });

  it('links that stay inside are allowed', () => {
    expect(entryProblem('a/b/link', { type: 'SymbolicLink', linkpath: '../c' })).toBeUndefined();
    expect(entryProblem('a/link', { type: 'SymbolicLink', linkpath: '../../c' })).toBe(
      'refusing link that points outside the output directory: a/link -> ../../c',
    );
    expect(entryProblem('hard', { type: 'Link', linkpath: 'a/b' })).toBeUndefined();
    expect(entryProblem('C:/x', { type: 'File', linkpath: '' })).toBe(
      'refusing archive entry with an absolute path: C:/x',
    );
    expect(lstatSync('/').isDirectory()).toBe(true);
  });
});
