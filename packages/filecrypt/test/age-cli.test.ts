import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Encrypter, type Stanza } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { ageKeyFile } from './age-helpers.js';
import { runCli, seededBytes, sha256, tempDir } from './helpers.js';

/**
 * The age format through the CLI: every flag, the automatic choices, and
 * every error path with its exact line, exit code and what is left on disk.
 * (Interop with age and typage is in age-interop.test.ts.)
 */

const PASSPHRASE = 'age cli passphrase';
const ENV = { FILECRYPT_PASSPHRASE: PASSPHRASE };
/** Work factor 10: fast; the default (18) is asserted where it is written. */
const FAST = ['--iter', '10'];
const NO_MATCH = 'filecrypt: no identity matched any of the recipients\n';

const listing = (dir: string) => readdirSync(dir).sort();

/** The header's text lines (up to and including the MAC line) of a binary age file. */
function headerLines(file: Buffer): string[] {
  const text = file.toString('latin1');
  return text.slice(0, text.indexOf('\n---') + 1 + text.slice(text.indexOf('\n---') + 1).indexOf('\n')).split('\n');
}

async function nativeKeyFile(dir: string, name: string): Promise<{ path: string; recipient: string }> {
  const path = join(dir, name);
  const result = await runCli(['keygen', '-o', path]);
  expect(result.code, result.stderr).toBe(0);
  return { path, recipient: result.stdout.toString().trim() };
}

describe('enc: the age format', () => {
  it('is chosen by an age1… recipient (-r): an age v1 file with one X25519 stanza that dec -i opens', async () => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    const data = seededBytes('auto age', 70_000);
    const enc = await runCli(['enc', '-r', key.recipient, '-o', join(dir, 'x.age')], { input: data });
    expect(enc).toMatchObject({ code: 0, stdout: Buffer.alloc(0), stderr: '' });
    const file = readFileSync(join(dir, 'x.age'));
    const lines = headerLines(file);
    expect(lines[0]).toBe('age-encryption.org/v1');
    expect(lines[1]).toMatch(/^-> X25519 [A-Za-z0-9+/]{43}$/);
    expect(lines[2]).toMatch(/^[A-Za-z0-9+/]{43}$/);
    expect(lines[3]).toMatch(/^--- [A-Za-z0-9+/]{43}$/);
    expect(lines).toHaveLength(4);
    // Header, 16-byte nonce, one full chunk and one of 70000 - 65536 bytes, each with its 16-byte tag.
    const headerBytes = lines.join('\n').length + 1;
    expect(file.length).toBe(headerBytes + 16 + 65536 + 16 + (70_000 - 65536) + 16);
    const dec = await runCli(['dec', join(dir, 'x.age'), '-i', key.path]);
    expect({ code: dec.code, stderr: dec.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(dec.stdout)).toBe(sha256(data));
  });

  it('is chosen by age keys in an -R file (comments and blank lines skipped); every recipient opens it', async () => {
    const dir = tempDir();
    const a = await ageKeyFile(dir, 'a.key');
    const b = await ageKeyFile(dir, 'b.key');
    writeFileSync(join(dir, 'team'), `# the team\n\n${a.recipient}\n   \n# and b\n${b.recipient}\n`);
    const enc = await runCli(['enc', '-R', join(dir, 'team')], { input: Buffer.from('for the team\n') });
    expect({ code: enc.code, stderr: enc.stderr }).toEqual({ code: 0, stderr: '' });
    expect(headerLines(enc.stdout).filter((line) => line.startsWith('-> X25519 '))).toHaveLength(2);
    for (const key of [a, b]) {
      const dec = await runCli(['dec', '-k', key.path], { input: enc.stdout });
      expect(dec).toMatchObject({ code: 0, stdout: Buffer.from('for the team\n'), stderr: '' });
    }
  });

  it.each([
    ['-r', '-r'],
    ['-R', '-R'],
    ['-r', '-R'],
  ])(
    'mixing age1… and fcpub1… keys (%s age, %s native) is a usage error: exit 2, no output',
    async (ageFlag, nativeFlag) => {
      const dir = tempDir();
      const age = await ageKeyFile(dir);
      const native = await nativeKeyFile(dir, 'n.key');
      writeFileSync(join(dir, 'age.list'), `${age.recipient}\n`);
      writeFileSync(join(dir, 'native.list'), `${native.recipient}\n`);
      const value = (flag: string, key: string, list: string) => (flag === '-r' ? key : join(dir, list));
      const args = [
        'enc',
        ageFlag,
        value(ageFlag, age.recipient, 'age.list'),
        nativeFlag,
        value(nativeFlag, native.recipient, 'native.list'),
        '-o',
        join(dir, 'x'),
      ];
      const before = listing(dir);
      const result = await runCli(args, { input: Buffer.from('x') });
      expect(result).toMatchObject({
        code: 2,
        stdout: Buffer.alloc(0),
        stderr: 'filecrypt: cannot mix age (age1…) and filecrypt (fcpub1…) recipients in one file\n',
      });
      expect(listing(dir)).toEqual(before);
    },
  );

  it.each([
    ['FILECRYPT_PASSPHRASE', [] as string[], ENV, [] as string[]],
    ['--passphrase-file', ['--passphrase-file', 'PASSFILE'], {}, []],
    ['--passphrase-fd', ['--passphrase-fd', '3'], {}, [`${PASSPHRASE}\n`]],
  ])('a passphrase from %s: one scrypt stanza, and each source decrypts it', async (_name, flags, env, fds) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pass'), `${PASSPHRASE}\n`);
    const withPass = flags.map((flag) => (flag === 'PASSFILE' ? join(dir, 'pass') : flag));
    const enc = await runCli(['enc', '--format', 'age', ...FAST, ...withPass], {
      input: Buffer.from('scrypt\n'),
      env,
      fds,
    });
    expect({ code: enc.code, stderr: enc.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = headerLines(enc.stdout);
    expect(lines[1]).toMatch(/^-> scrypt [A-Za-z0-9+/]{22} 10$/);
    expect(lines.filter((line) => line.startsWith('-> '))).toHaveLength(1);
    const dec = await runCli(['dec', ...withPass], { input: enc.stdout, env, fds });
    expect(dec).toMatchObject({ code: 0, stdout: Buffer.from('scrypt\n'), stderr: '' });
  });

  it('writes work factor 18 by default, as age does', async () => {
    const enc = await runCli(['enc', '--format', 'age'], { input: Buffer.from('x'), env: ENV });
    expect(enc.code, enc.stderr).toBe(0);
    expect(headerLines(enc.stdout)[1]).toMatch(/^-> scrypt [A-Za-z0-9+/]{22} 18$/);
  });

  it('-a / --armor writes the ASCII armor, 64 columns, that dec recognises by itself', async () => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    const data = seededBytes('armor', 1000);
    for (const flag of ['-a', '--armor']) {
      const enc = await runCli(['enc', flag, '-r', key.recipient], { input: data });
      expect({ code: enc.code, stderr: enc.stderr }).toEqual({ code: 0, stderr: '' });
      const lines = enc.stdout.toString().split('\n');
      expect(lines[0]).toBe('-----BEGIN AGE ENCRYPTED FILE-----');
      expect(lines.at(-2)).toBe('-----END AGE ENCRYPTED FILE-----');
      expect(lines.at(-1)).toBe('');
      const body = lines.slice(1, -2);
      expect(body.slice(0, -1).every((line) => line.length === 64)).toBe(true);
      expect(body.at(-1)!.length).toBeLessThanOrEqual(64);
      const dec = await runCli(['dec', '-i', key.path], { input: enc.stdout });
      expect({ code: dec.code, stderr: dec.stderr }).toEqual({ code: 0, stderr: '' });
      expect(dec.stdout.equals(data)).toBe(true);
    }
  });

  it('a directory: a tar stream inside, which dec gives back as bytes (age stores no kind)', async () => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'sub', 'file.txt'), 'inside\n');
    const enc = await runCli([
      'enc',
      join(dir, 'tree'),
      '--format',
      'age',
      '-r',
      key.recipient,
      '-o',
      join(dir, 't.age'),
    ]);
    expect(enc).toMatchObject({ code: 0, stderr: '' });
    const dec = await runCli(['dec', join(dir, 't.age'), '-i', key.path, '-o', join(dir, 't.tar')]);
    expect(dec).toMatchObject({ code: 0, stderr: '' });
    const tar = readFileSync(join(dir, 't.tar'));
    // ustar magic at offset 257 of the first header block, and the file's content in a later block.
    expect(tar.subarray(257, 262).toString()).toBe('ustar');
    expect(tar.includes(Buffer.from('inside\n'))).toBe(true);
    expect(statSync(join(dir, 't.tar')).isFile()).toBe(true);
  });

  it.each([
    [
      ['enc', '--format', 'age', '--iter', '9'],
      'with --format age, --iter is the scrypt work factor log2(N) and must be from 10 to 22',
    ],
    [
      ['enc', '--format', 'age', '--iter', '23'],
      'with --format age, --iter is the scrypt work factor log2(N) and must be from 10 to 22',
    ],
    [['enc', '--format', 'age', '--kdf', 'pbkdf2'], '--format age always uses scrypt'],
    [['enc', '--armor'], '--armor is for --format age only'],
    [['enc', '-a', '--format', 'openssl'], '--armor is for --format age only'],
    [['enc', '--format', 'gpg'], '--format must be native or openssl or age'],
    [['enc', '-r', 'age1bogus'], 'not an age recipient: age1bogus'],
    [['enc', '--format', 'age', '-r', 'fcpub1x'], 'not an age recipient: fcpub1x'],
    [['dec', '--max-work-factor', '0'], '--max-work-factor must be from 1 to 30'],
    [['dec', '--max-work-factor', '31'], '--max-work-factor must be from 1 to 30'],
    [['dec', '--max-work-factor', 'lots'], '--max-work-factor must be a whole number'],
    [['keygen', '--format', 'gpg'], '--format must be native or age'],
    [['keygen', '--pq', '--format', 'native'], '--pq makes an age identity; it does not go with --format native'],
    [['keygen', '-y', 'k', '-o', 'x'], '-y prints the public keys of FILE; it takes no -o, --force, --format or --pq'],
    [['keygen', '-y', 'k', '--pq'], '-y prints the public keys of FILE; it takes no -o, --force, --format or --pq'],
  ])('usage error %j: exit 2, one line', async (args, message) => {
    expect(await runCli(args, { env: ENV })).toMatchObject({
      code: 2,
      stdout: Buffer.alloc(0),
      stderr: `filecrypt: ${message}\n`,
    });
  });

  it('--armor with an fcpub1… recipient (native chosen) is refused before anything is written', async () => {
    const dir = tempDir();
    const native = await nativeKeyFile(dir, 'n.key');
    const result = await runCli(['enc', '-a', '-r', native.recipient, '-o', join(dir, 'x')], {
      input: Buffer.from('x'),
    });
    expect(result).toMatchObject({ code: 2, stderr: 'filecrypt: --armor is for --format age only\n' });
    expect(listing(dir)).toEqual(['n.key']);
  });

  it('an age post-quantum recipient beside an X25519 one is refused (the X25519 stanza would undo it)', async () => {
    const dir = tempDir();
    const pq = await ageKeyFile(dir, 'pq.key', ['--pq']);
    const classic = await ageKeyFile(dir, 'x.key');
    const result = await runCli(['enc', '-r', pq.recipient, '-r', classic.recipient, '-o', join(dir, 'out')], {
      input: Buffer.from('x'),
    });
    expect(result).toMatchObject({
      code: 2,
      stderr:
        'filecrypt: post-quantum recipients (age1pq1…) cannot be mixed with X25519 ones: those would undo the protection\n',
    });
    expect(listing(dir)).toEqual(['pq.key', 'x.key']);
  });
});

describe('dec: age files', () => {
  it('-i and -k are one list: a key file may hold filecrypt and age keys, and opens both formats', async () => {
    const dir = tempDir();
    const age = await ageKeyFile(dir, 'a.key');
    const native = await nativeKeyFile(dir, 'n.key');
    writeFileSync(join(dir, 'both.key'), readFileSync(native.path, 'utf8') + readFileSync(age.path, 'utf8'));
    const ageFile = await runCli(['enc', '-r', age.recipient], { input: Buffer.from('age\n') });
    const nativeFile = await runCli(['enc', '-r', native.recipient], { input: Buffer.from('native\n') });
    for (const [file, plain] of [
      [ageFile.stdout, 'age\n'],
      [nativeFile.stdout, 'native\n'],
    ] as const) {
      const dec = await runCli(['dec', '-i', join(dir, 'both.key')], { input: file });
      expect(dec).toMatchObject({ code: 0, stdout: Buffer.from(plain), stderr: '' });
    }
    // Mixed flags: the native key file first (-k), then the age one (-i); either order.
    const mixed = await runCli(['dec', '-k', native.path, '--identity', age.path], { input: ageFile.stdout });
    expect(mixed).toMatchObject({ code: 0, stdout: Buffer.from('age\n'), stderr: '' });
    const other = await runCli(['dec', '-i', age.path, '--key', native.path], { input: nativeFile.stdout });
    expect(other).toMatchObject({ code: 0, stdout: Buffer.from('native\n'), stderr: '' });
  });

  it.each([
    ['another age identity', ['-i', 'OTHER']],
    ['only a filecrypt key', ['-k', 'NATIVE']],
    ['no identity at all', []],
  ])('%s: exit 3, "no identity matched any of the recipients", nothing at -o', async (_name, flags) => {
    const dir = tempDir();
    const key = await ageKeyFile(dir, 'a.key');
    await ageKeyFile(dir, 'other.key');
    await nativeKeyFile(dir, 'native.key');
    const enc = await runCli(['enc', '-r', key.recipient, '-o', join(dir, 'x.age')], { input: Buffer.from('x') });
    expect(enc.code).toBe(0);
    const args = flags.map((flag) =>
      flag === 'OTHER' ? join(dir, 'other.key') : flag === 'NATIVE' ? join(dir, 'native.key') : flag,
    );
    const before = listing(dir);
    const result = await runCli(['dec', join(dir, 'x.age'), ...args, '-o', join(dir, 'out')], { detached: true });
    expect(result).toMatchObject({ code: 3, stdout: Buffer.alloc(0), stderr: NO_MATCH });
    expect(listing(dir)).toEqual(before);
  });

  it('an age key file cannot open a native file: exit 3, "wrong passphrase or key"', async () => {
    const dir = tempDir();
    const age = await ageKeyFile(dir, 'a.key');
    const native = await nativeKeyFile(dir, 'n.key');
    const enc = await runCli(['enc', '-r', native.recipient], { input: Buffer.from('x') });
    const result = await runCli(['dec', '-i', age.path], { input: enc.stdout });
    expect(result).toMatchObject({ code: 3, stdout: Buffer.alloc(0), stderr: 'filecrypt: wrong passphrase or key\n' });
  });

  it('stanzas of unknown types are skipped (typage writes one beside the X25519 stanza)', async () => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    const encrypter = new Encrypter();
    encrypter.addRecipient({ wrapFileKey: () => [new StanzaOf(['future-type', 'arg1', 'arg2'], new Uint8Array(40))] });
    encrypter.addRecipient(key.recipient);
    const file = Buffer.from(await encrypter.encrypt('with an unknown stanza\n'));
    expect(file.toString('latin1')).toContain('\n-> future-type arg1 arg2\n');
    const result = await runCli(['dec', '-i', key.path], { input: file });
    expect(result).toMatchObject({ code: 0, stdout: Buffer.from('with an unknown stanza\n'), stderr: '' });
    const inspect = await runCli(['inspect'], { input: file });
    expect(inspect.stdout.toString()).toContain('stanzas: future-type, X25519\n');
  });

  it('a passphrase file needs no -i; a wrong passphrase is exit 3 and leaves nothing', async () => {
    const dir = tempDir();
    const enc = await runCli(['enc', '--format', 'age', ...FAST, '-o', join(dir, 's.age')], {
      input: Buffer.from('by passphrase\n'),
      env: ENV,
    });
    expect(enc.code, enc.stderr).toBe(0);
    const ok = await runCli(['dec', join(dir, 's.age')], { env: ENV });
    expect(ok).toMatchObject({ code: 0, stdout: Buffer.from('by passphrase\n'), stderr: '' });
    const wrong = await runCli(['dec', join(dir, 's.age'), '-o', join(dir, 'out')], {
      env: { FILECRYPT_PASSPHRASE: 'not it' },
    });
    expect(wrong).toMatchObject({ code: 3, stderr: 'filecrypt: wrong passphrase or key\n' });
    expect(listing(dir)).toEqual(['s.age']);
  });

  it('--max-work-factor: a work factor over the limit is refused before the passphrase is asked (exit 5); raising it opens the file', async () => {
    const dir = tempDir();
    const enc = await runCli(['enc', '--format', 'age', '--iter', '12', '-o', join(dir, 's.age')], {
      input: Buffer.from('wf 12\n'),
      env: ENV,
    });
    expect(enc.code, enc.stderr).toBe(0);
    // No terminal and no passphrase source: had it asked, the message would be "no passphrase…".
    const refused = await runCli(['dec', join(dir, 's.age'), '--max-work-factor', '11', '-o', join(dir, 'out')], {
      detached: true,
    });
    expect(refused).toMatchObject({
      code: 5,
      stderr:
        'filecrypt: refusing to decrypt: scrypt work factor 12 is over the limit 11; --max-work-factor 12 accepts it\n',
    });
    expect(listing(dir)).toEqual(['s.age']);
    const opened = await runCli(['dec', join(dir, 's.age'), '--max-work-factor', '12'], { env: ENV });
    expect(opened).toMatchObject({ code: 0, stdout: Buffer.from('wf 12\n'), stderr: '' });
  });

  it("the default limit is age's 22: a header asking for 23 is refused without a flag", async () => {
    const dir = tempDir();
    const enc = await runCli(['enc', '--format', 'age', ...FAST], { input: Buffer.from('x'), env: ENV });
    // Rewrite the work factor: the header MAC then fails, but the limit is checked first.
    const file = Buffer.from(enc.stdout.toString('latin1').replace(/^(-> scrypt \S+) 10$/m, '$1 23'), 'latin1');
    writeFileSync(join(dir, 'x.age'), file);
    const result = await runCli(['dec', join(dir, 'x.age'), '-o', join(dir, 'out')], { detached: true });
    expect(result).toMatchObject({
      code: 5,
      stderr:
        'filecrypt: refusing to decrypt: scrypt work factor 23 is over the limit 22; --max-work-factor 23 accepts it\n',
    });
    expect(listing(dir)).toEqual(['x.age']);
  });

  it('--restore-name with an age file: exit 2 before any key is read, nothing written', async () => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    await runCli(['enc', '-r', key.recipient, '-o', join(dir, 'x.age')], { input: Buffer.from('x') });
    const result = await runCli(['dec', join(dir, 'x.age'), '--restore-name', '-o', dir], { detached: true });
    expect(result).toMatchObject({
      code: 2,
      stderr: 'filecrypt: --restore-name needs the native format; age files store no name\n',
    });
    expect(listing(dir)).toEqual(['key.txt', 'x.age']);
  });

  it.each([
    ['a truncated header', (file: Buffer) => file.subarray(0, 60), 4, 'truncated (the age header is incomplete)'],
    ['a cut payload', (file: Buffer) => file.subarray(0, file.length - 1), 4, 'corrupted at chunk 1'],
    ['a flipped payload byte', (file: Buffer) => flip(file, file.length - 20), 4, 'corrupted at chunk 1'],
    ['a changed header MAC', (file: Buffer) => changeMac(file), 4, 'header is corrupted'],
    ['a changed X25519 share', (file: Buffer) => flip(file, 30), 3, 'no identity matched any of the recipients'],
    [
      'bad armor',
      () => Buffer.from('-----BEGIN AGE ENCRYPTED FILE-----\nnot base64!\n-----END AGE ENCRYPTED FILE-----\n'),
      5,
      'not a valid age armor: line 2: not canonical padded base64',
    ],
  ])('%s: its exit code, one line, nothing at -o', async (_name, damage, code, message) => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    const enc = await runCli(['enc', '-r', key.recipient], { input: seededBytes('damage', 65536 + 100) });
    writeFileSync(join(dir, 'x.age'), damage(enc.stdout));
    const result = await runCli(['dec', join(dir, 'x.age'), '-i', key.path, '-o', join(dir, 'out')]);
    expect(result).toMatchObject({ code, stdout: Buffer.alloc(0), stderr: `filecrypt: ${message}\n` });
    expect(listing(dir)).toEqual(['key.txt', 'x.age']);
  });

  it('a bad line in an identity file is a usage error naming the line, not its secret', async () => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    writeFileSync(join(dir, 'bad.key'), '# comment\nAGE-SECRET-KEY-1NOTAKEY\n');
    writeFileSync(join(dir, 'junk.key'), 'hello\n');
    const enc = await runCli(['enc', '-r', key.recipient], { input: Buffer.from('x') });
    expect(await runCli(['dec', '-i', join(dir, 'bad.key')], { input: enc.stdout })).toMatchObject({
      code: 2,
      stderr: `filecrypt: not an age identity: ${join(dir, 'bad.key')} line 2\n`,
    });
    expect(await runCli(['dec', '-i', join(dir, 'junk.key')], { input: enc.stdout })).toMatchObject({
      code: 2,
      stderr: `filecrypt: ${join(dir, 'junk.key')} line 1 is not a secret key (FCSECRET1… or AGE-SECRET-KEY-1…)\n`,
    });
  });
});

describe('keygen: age identities', () => {
  it("--format age -o FILE: age-keygen's layout, mode 0600, the age1… key on stdout", async () => {
    const dir = tempDir();
    const result = await runCli(['keygen', '--format', 'age', '-o', join(dir, 'k.txt')]);
    expect(result.code, result.stderr).toBe(0);
    const recipient = result.stdout.toString();
    expect(recipient).toMatch(/^age1[02-9ac-hj-np-z]{58}\n$/);
    const text = readFileSync(join(dir, 'k.txt'), 'utf8');
    expect(text).toMatch(
      new RegExp(
        `^# created: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\n# public key: ${recipient.trim()}\\nAGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}\\n$`,
      ),
    );
    expect(statSync(join(dir, 'k.txt')).mode & 0o777).toBe(0o600);
  });

  it('--format age without -o prints the whole file', async () => {
    const result = await runCli(['keygen', '--format', 'age']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.toString()).toMatch(/^# created: \S+Z\n# public key: age1\S+\nAGE-SECRET-KEY-1\S+\n$/);
  });

  it('--pq: a post-quantum identity in the same layout (AGE-SECRET-KEY-PQ-1…, age1pq1…)', async () => {
    const dir = tempDir();
    const result = await runCli(['keygen', '--pq', '-o', join(dir, 'pq.txt')]);
    expect(result.code, result.stderr).toBe(0);
    const recipient = result.stdout.toString().trim();
    expect(recipient.startsWith('age1pq1')).toBe(true);
    const lines = readFileSync(join(dir, 'pq.txt'), 'utf8').split('\n');
    expect(lines[1]).toBe(`# public key: ${recipient}`);
    expect(lines[2]).toMatch(/^AGE-SECRET-KEY-PQ-1[02-9AC-HJ-NP-Z]+$/);
    expect(statSync(join(dir, 'pq.txt')).mode & 0o777).toBe(0o600);
    // And it works: a file to that recipient opens with that identity.
    const enc = await runCli(['enc', '-r', recipient], { input: Buffer.from('pq\n') });
    expect(headerLines(enc.stdout)[1]).toMatch(/^-> mlkem768x25519 /);
    expect(await runCli(['dec', '-i', join(dir, 'pq.txt')], { input: enc.stdout })).toMatchObject({
      code: 0,
      stdout: Buffer.from('pq\n'),
    });
  });

  it('-y FILE prints the public key of each identity, age, post-quantum and filecrypt, in order', async () => {
    const dir = tempDir();
    const age = await ageKeyFile(dir, 'a.key');
    const pq = await ageKeyFile(dir, 'pq.key', ['--pq']);
    const native = await nativeKeyFile(dir, 'n.key');
    const all = [age, native, pq].map((key) => readFileSync(key.path, 'utf8')).join('\n');
    writeFileSync(join(dir, 'all.key'), all);
    const result = await runCli(['keygen', '-y', join(dir, 'all.key')]);
    expect(result).toMatchObject({
      code: 0,
      stdout: Buffer.from(`${age.recipient}\n${native.recipient}\n${pq.recipient}\n`),
      stderr: '',
    });
  });

  it.each([
    ['hello\n', 2, 'FILE line 1 is not a secret key (FCSECRET1… or AGE-SECRET-KEY-1…)'],
    ['# nothing\n\n', 2, 'FILE holds no secret key'],
    ['AGE-SECRET-KEY-1ABC\n', 2, 'not an age identity: FILE line 1'],
    ['AGE-SECRET-KEY-PQ-1ABC\n', 2, 'not an age identity: FILE line 1'],
    ['FCSECRET1abc\n', 2, 'FILE line 1 is not a filecrypt secret key (FCSECRET1…)'],
  ])('-y on %j: exit %i', async (text, code, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'k'), text);
    const result = await runCli(['keygen', '-y', join(dir, 'k')]);
    expect(result).toMatchObject({
      code,
      stdout: Buffer.alloc(0),
      stderr: `filecrypt: ${message.replace('FILE', join(dir, 'k'))}\n`,
    });
  });

  it('-y on a missing file: exit 6', async () => {
    const dir = tempDir();
    expect(await runCli(['keygen', '-y', join(dir, 'none')])).toMatchObject({
      code: 6,
      stderr: `filecrypt: file not found: ${join(dir, 'none')}\n`,
    });
  });
});

describe('inspect: age files', () => {
  it('binary, two X25519 recipients: format, armor, stanza types, payload and plaintext size', async () => {
    const dir = tempDir();
    const a = await ageKeyFile(dir, 'a.key');
    const b = await ageKeyFile(dir, 'b.key');
    const enc = await runCli(['enc', '-r', a.recipient, '-r', b.recipient, '-o', join(dir, 'x.age')], {
      input: seededBytes('inspect', 65537),
    });
    expect(enc.code).toBe(0);
    const result = await runCli(['inspect', join(dir, 'x.age')]);
    expect(result).toMatchObject({
      code: 0,
      stderr: '',
      stdout: Buffer.from(
        [
          'format: age (age-encryption.org/v1, ChaCha20-Poly1305 STREAM)',
          'armored: no',
          'stanzas: X25519, X25519',
          `payload bytes: ${16 + 65536 + 16 + 1 + 16}`,
          'plaintext size: 65537 bytes (from the payload size)',
          '',
        ].join('\n'),
      ),
    });
  });

  it('armored, passphrase: the scrypt stanza and the payload after the armor is removed', async () => {
    const enc = await runCli(['enc', '--format', 'age', '-a', ...FAST], { input: Buffer.alloc(0), env: ENV });
    expect(enc.code).toBe(0);
    const result = await runCli(['inspect'], { input: enc.stdout });
    expect(result.stdout.toString()).toBe(
      [
        'format: age (age-encryption.org/v1, ChaCha20-Poly1305 STREAM)',
        'armored: yes',
        'stanzas: scrypt',
        'payload bytes: 32',
        'plaintext size: 0 bytes (from the payload size)',
        '',
      ].join('\n'),
    );
  });
});

describe('help', () => {
  it.each([
    [
      'enc',
      [
        '--format <FORMAT>',
        'age (age v1; the default when a recipient is age1…)',
        '-a, --armor',
        'log2(N), 10 to 22 (default 18)',
      ],
    ],
    ['dec', ['-i, --identity <KEYFILE>', '--max-work-factor <N>', '(default 22, as age)']],
    ['keygen', ['--format <FORMAT>', '--pq', '-y, --public-keys <FILE>']],
    ['inspect', ['-i, --identity <KEYFILE>']],
  ])('%s --help names the age flags', async (command, options) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    const text = result.stdout.toString().replace(/\s+/g, ' ');
    for (const option of options) expect(text).toContain(option);
  });
});

/** typage's Stanza (its type is the first argument), built by hand: its class is exported as a type only. */
class StanzaOf implements Stanza {
  constructor(
    readonly args: string[],
    readonly body: Uint8Array,
  ) {}
}

/** The MAC's first base64 character swapped for another (canonical either way): a valid header with a wrong MAC. */
function changeMac(file: Buffer): Buffer {
  const copy = Buffer.from(file);
  const at = copy.indexOf('\n--- ') + 5;
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

function flip(file: Buffer, at: number): Buffer {
  const copy = Buffer.from(file);
  copy[at]! ^= 0x01;
  return copy;
}
