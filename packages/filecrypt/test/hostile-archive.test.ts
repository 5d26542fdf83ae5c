import { gzipSync } from 'node:zlib';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import { ARCHIVE_PASSPHRASE, encryptTar, tarOf, type RawEntry } from './tar-fixtures.js';

/**
 * Archives made by a hostile sender: whatever they hold, extraction writes
 * nothing outside OUTDIR and nothing through a symbolic link, and a refused
 * entry aborts the whole run (exit 4, one line) leaving no OUTDIR and no
 * temporary directory. Beside the work directory sits an "outside" directory
 * that must stay exactly as it was.
 */
const ENV = { FILECRYPT_PASSPHRASE: ARCHIVE_PASSPHRASE };

function layout() {
  const dir = tempDir();
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'secret'), 'untouched');
  mkdirSync(join(dir, 'work'));
  return { dir, work: join(dir, 'work'), out: join(dir, 'work', 'out') };
}

function expectNothingWritten(dir: string, work: string, input = 'evil.fc') {
  expect(readdirSync(work)).toEqual([input]);
  expect(readdirSync(dir).sort()).toEqual(['outside', 'work']);
  expect(readdirSync(join(dir, 'outside'))).toEqual(['secret']);
  expect(readFileSync(join(dir, 'outside', 'secret'), 'utf8')).toBe('untouched');
}

async function decryptArchive(tar: Buffer, args: string[] = []) {
  const paths = layout();
  await encryptTar(tar, join(paths.work, 'evil.fc'));
  const result = await runCli(['dec', join(paths.work, 'evil.fc'), '-o', paths.out, ...args], { env: ENV });
  return { ...paths, result };
}

const dir = (path: string, mode = 0o755): RawEntry => ({ path, type: 'Directory', mode });
const link = (path: string, linkpath: string): RawEntry => ({ path, type: 'SymbolicLink', linkpath });
const file = (path: string, data = 'data', mode = 0o644): RawEntry => ({ path, data, mode });

describe('symbolic link chains cannot leave OUTDIR', () => {
  it('the reported case: a directory holding d/l -> .. and d/l2 -> l/.., through enc and dec', async () => {
    const { dir: top, work, out } = layout();
    const tree = join(top, 'tree');
    mkdirSync(join(tree, 'd'), { recursive: true });
    symlinkSync('..', join(tree, 'd', 'l'));
    symlinkSync('l/..', join(tree, 'd', 'l2'));
    const enc = await runCli(['enc', tree, '-o', join(work, 'evil.fc'), '--iter', '1000'], { env: ENV });
    expect(enc.code).toBe(0);
    const result = await runCli(['dec', join(work, 'evil.fc'), '-o', out], { env: ENV });
    expect(result).toMatchObject({
      code: 4,
      stderr: 'filecrypt: refusing link that points outside the output directory: ./d/l2 -> l/..\n',
    });
    expect(readdirSync(work)).toEqual(['evil.fc']);
    expect(readdirSync(join(top, 'outside'))).toEqual(['secret']);
  });

  it.each([
    [
      'through a link to the parent',
      [dir('d/'), link('d/l', '..'), link('d/l2', 'l/..')],
      'refusing link that points outside the output directory: d/l2 -> l/..',
    ],
    [
      'through a link to the root',
      [link('a', '.'), link('b', 'a/..')],
      'refusing link that points outside the output directory: b -> a/..',
    ],
    [
      'through two links',
      [dir('x/'), dir('x/y/'), link('x/y/up', '..'), link('x/top', 'y/up/..'), link('z', 'x/top/..')],
      'refusing link that points outside the output directory: z -> x/top/..',
    ],
    [
      '.. after a path a later entry could make a link',
      [link('a', 'b/..'), link('b', '.')],
      'refusing link that goes up (..) from a path not extracted yet: a -> b/..',
    ],
    [
      'a loop',
      [link('a', 'b'), link('b', 'a'), link('c', 'a/..')],
      'refusing link with too many levels of symbolic links: c -> a/..',
    ],
  ])('%s: exit 4, nothing written', async (_, entries, message) => {
    const { dir: top, work, result } = await decryptArchive(tarOf([file('ok.txt'), ...entries]));
    expect(result).toMatchObject({ code: 4, stderr: `filecrypt: ${message}\n` });
    expectNothingWritten(top, work);
  });

  it('links that stay inside, also through other links and to entries that come later, are kept', async () => {
    const { out, result } = await decryptArchive(
      tarOf([
        dir('bin/'),
        link('bin/tool', '../lib/tool.js'),
        dir('lib/'),
        file('lib/tool.js', 'tool'),
        link('here', '.'),
        link('deep', 'here/lib/../bin/tool'),
        link('dangling', 'not/there'),
      ]),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(out, 'deep'), 'utf8')).toBe('tool');
    expect(readlinkSync(join(out, 'dangling'))).toBe('not/there');
  });
});

describe('nothing is written through a symbolic link', () => {
  it.each([
    [
      'a file under an extracted link (pointing inside)',
      [dir('sub/'), link('l', 'sub'), file('l/x')],
      'refusing archive entry through a symbolic link: l/x',
    ],
    [
      'a directory under an extracted link',
      [link('l', '.'), dir('l/d/')],
      'refusing archive entry through a symbolic link: l/d/',
    ],
    [
      'a file replacing an extracted link',
      [link('l', 'target'), file('l')],
      'refusing archive entry that replaces an earlier one: l',
    ],
    [
      'a directory entry at an extracted link',
      [link('l', '.'), dir('l/')],
      'refusing archive entry that replaces an earlier one: l/',
    ],
    [
      'a second file of the same name',
      [file('f'), file('f')],
      'refusing archive entry that replaces an earlier one: f',
    ],
    ['a file inside a file', [file('f'), file('f/g')], 'refusing archive entry inside a file: f/g'],
    [
      'a hard link through a symbolic link',
      [dir('sub/'), file('sub/f'), link('l', 'sub'), { path: 'h', type: 'Link', linkpath: 'l/f' }],
      'refusing link through a symbolic link: h -> l/f',
    ],
    [
      'a hard link to a directory',
      [dir('sub/'), { path: 'h', type: 'Link', linkpath: 'sub' }],
      'refusing hard link to something that is not a file extracted before it: h -> sub',
    ],
    [
      'a hard link to a symbolic link',
      [link('l', 'ok.txt'), { path: 'h', type: 'Link', linkpath: 'l' }],
      'refusing hard link to something that is not a file extracted before it: h -> l',
    ],
  ])('%s: exit 4, nothing written', async (_, entries, message) => {
    const { dir: top, work, result } = await decryptArchive(tarOf([file('ok.txt'), ...entries]));
    expect(result).toMatchObject({ code: 4, stderr: `filecrypt: ${message}\n` });
    expectNothingWritten(top, work);
  });

  it('hard links to files extracted before them are kept', async () => {
    const { out, result } = await decryptArchive(
      tarOf([file('f', 'shared'), { path: 'h', type: 'Link', linkpath: 'f' }]),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(join(out, 'h')).ino).toBe(statSync(join(out, 'f')).ino);
    expect(readFileSync(join(out, 'h'), 'utf8')).toBe('shared');
  });
});

describe('what a tar stream may hold', () => {
  it.each([
    ['a FIFO', tarOf([{ path: 'p', type: 'FIFO' }]), 'refusing archive entry of type FIFO: p'],
    ['a gzip-compressed tar', gzipSync(tarOf([file('a')])), 'refusing archive: not a plain tar stream'],
    [
      'a tar cut inside an entry',
      tarOf([file('a', 'x'.repeat(1000))], false).subarray(0, 700),
      'refusing archive: it ends inside an entry',
    ],
    [
      'an extended header over 1 MiB',
      tarOf([{ path: 'PaxHeader/a', type: 'ExtendedHeader', data: Buffer.alloc(2 * 1024 * 1024, 0x20) }, file('a')]),
      'refusing archive: an extended header of 2097152 bytes (the limit is 1048576)',
    ],
    ['an empty path', tarOf([file('')]), 'refusing archive entry with an empty path'],
  ])('%s: exit 4, nothing written', async (_, tar, message) => {
    const { dir: top, work, result } = await decryptArchive(tar);
    expect(result).toMatchObject({ code: 4, stderr: `filecrypt: ${message}\n` });
    expectNothingWritten(top, work);
  });

  it('long names and link targets (pax records) are kept', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
    const target = `${'f'.repeat(150)}`;
    const { out, result } = await decryptArchive(
      tarOf([
        { ...file(long, 'long'), pax: { path: long } },
        { ...link(`${'d'.repeat(120)}/l`, target), pax: { linkpath: target } },
      ]),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(out, long), 'utf8')).toBe('long');
    expect(readlinkSync(join(out, 'd'.repeat(120), 'l'))).toBe(target);
  });
});

describe('permissions and owners from the archive', () => {
  const entries = [
    dir('shared/', 0o1777),
    dir('group/', 0o2775),
    file('run', '#!/bin/sh\n', 0o4755),
    file('plain', 'x', 0o640),
  ];

  it('setuid, setgid and sticky bits are dropped unless --preserve-permissions', async () => {
    const dropped = await decryptArchive(tarOf(entries));
    expect(dropped.result).toMatchObject({ code: 0, stderr: '' });
    const mode = (out: string, path: string) => (lstatSync(join(out, path)).mode & 0o7777).toString(8);
    expect(['shared', 'group', 'run', 'plain'].map((p) => mode(dropped.out, p))).toEqual(['777', '775', '755', '640']);
    const kept = await decryptArchive(tarOf(entries), ['--preserve-permissions']);
    expect(kept.result).toMatchObject({ code: 0, stderr: '' });
    expect(['shared', 'group', 'run', 'plain'].map((p) => mode(kept.out, p))).toEqual(['1777', '2775', '4755', '640']);
  });

  it('a single file: setuid dropped unless --preserve-permissions', async () => {
    const top = tempDir();
    writeFileSync(join(top, 'tool'), '#!/bin/sh\n');
    chmodSync(join(top, 'tool'), 0o4755);
    expect(
      (await runCli(['enc', join(top, 'tool'), '-o', join(top, 't.fc'), '--iter', '1000'], { env: ENV })).code,
    ).toBe(0);
    expect((await runCli(['dec', join(top, 't.fc'), '-o', join(top, 'a')], { env: ENV })).code).toBe(0);
    expect(statSync(join(top, 'a')).mode & 0o7777).toBe(0o755);
    const kept = await runCli(['dec', join(top, 't.fc'), '-o', join(top, 'b'), '--preserve-permissions'], { env: ENV });
    expect(kept.code).toBe(0);
    expect(statSync(join(top, 'b')).mode & 0o7777).toBe(0o4755);
  });

  it.skipIf(process.getuid?.() !== 0)('owners are never taken from the archive, even as root', async () => {
    const { out, result } = await decryptArchive(
      tarOf([
        { ...file('mine', 'x', 0o4755), uid: 1234 },
        { ...dir('d/'), uid: 1234 },
      ]),
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect([lstatSync(join(out, 'mine')).uid, lstatSync(join(out, 'd')).uid]).toEqual([0, 0]);
  });
});

describe('directory modes and mtimes are applied at the end', () => {
  it('deepest first, and for a directory given twice the later entry last', async () => {
    const { DirectoryFixes } = await import('../src/io/directory-fixes.js');
    const fixes = new DirectoryFixes();
    const when = new Date('2024-01-02T03:04:05Z');
    for (let i = 0; i < 300; i += 1) fixes.add(`many/d${i}`, 0o700, undefined);
    fixes.add('', 0o755, when);
    fixes.add('a', 0o500, when);
    fixes.add('a/b/c', 0o555, undefined);
    fixes.add('a', 0o750, undefined);
    const order = [...fixes.deepestFirst()];
    expect(order.length).toBe(304);
    expect(order[0]).toEqual({ path: 'a/b/c', mode: 0o555, mtime: undefined });
    expect(order.slice(-3)).toEqual([
      { path: 'a', mode: 0o500, mtime: when },
      { path: 'a', mode: 0o750, mtime: undefined },
      { path: '', mode: 0o755, mtime: when },
    ]);
  });
});
