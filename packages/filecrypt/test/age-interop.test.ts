import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  armor,
  Decrypter,
  Encrypter,
  generateHybridIdentity,
  generateX25519Identity,
  identityToRecipient,
} from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { ageKeyFile, ageKeygen, ageToolsForTests, AGE_SIZES, onPty, run } from './age-helpers.js';
import { runCli, seededBytes, sha256, tempDir } from './helpers.js';

/**
 * filecrypt against the two reference implementations: the `age` binary (Go)
 * and typage (`age-encryption`, in-process). Each direction: what filecrypt
 * writes, they decrypt to the same bytes; what they write, filecrypt decrypts.
 * The sizes are the STREAM boundaries: empty, one byte, exactly one 64 KiB
 * chunk, and one byte into a second chunk.
 */

const tools = ageToolsForTests();
if (!tools.available) console.log(tools.reason);

const PASSPHRASE = 'correct horse battery staple';
/** Work factor 10 keeps the scrypt tests fast; the default (18) is covered once each way. */
const FAST = ['--iter', '10'];

function secretLine(path: string): string {
  return readFileSync(path, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('AGE-SECRET-KEY-'))!;
}

function passFile(dir: string): string {
  const path = join(dir, 'pass');
  writeFileSync(path, `${PASSPHRASE}\n`);
  return path;
}

describe.skipIf(!tools.available)(`the age binary (${tools.available ? tools.version : 'missing'})`, () => {
  it.each(AGE_SIZES)('X25519: filecrypt enc -r age1… → age -d (%i bytes)', async (size) => {
    const dir = tempDir();
    const key = ageKeygen(dir);
    const data = seededBytes(`age x25519 ${size}`, size);
    writeFileSync(join(dir, 'plain'), data);
    const enc = await runCli(['enc', join(dir, 'plain'), '-r', key.recipient, '-o', join(dir, 'x.age')]);
    expect(enc).toMatchObject({ code: 0, stderr: '' });
    const dec = run('age', ['-d', '-i', key.path, join(dir, 'x.age')]);
    expect({ code: dec.code, stderr: dec.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(dec.stdout)).toBe(sha256(data));
  });

  it.each(AGE_SIZES)('X25519: age -e -r → filecrypt dec -i (%i bytes)', async (size) => {
    const dir = tempDir();
    const key = await ageKeyFile(dir);
    const data = seededBytes(`age x25519 back ${size}`, size);
    const enc = run('age', ['-e', '-r', key.recipient], data);
    expect(enc.code, enc.stderr).toBe(0);
    const dec = await runCli(['dec', '-i', key.path], { input: enc.stdout });
    expect({ code: dec.code, stderr: dec.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(dec.stdout)).toBe(sha256(data));
  });

  it('armor both ways: filecrypt enc -a → age -d, and age -a → filecrypt dec', async () => {
    const dir = tempDir();
    const theirs = ageKeygen(dir);
    const ours = await ageKeyFile(dir);
    const data = seededBytes('age armor', 100_000);
    const enc = await runCli(['enc', '-a', '-r', theirs.recipient], { input: data });
    expect(enc.code, enc.stderr).toBe(0);
    expect(enc.stdout.toString().startsWith('-----BEGIN AGE ENCRYPTED FILE-----\n')).toBe(true);
    expect(enc.stdout.toString().endsWith('-----END AGE ENCRYPTED FILE-----\n')).toBe(true);
    const dec = run('age', ['-d', '-i', theirs.path], enc.stdout);
    expect(dec.code, dec.stderr).toBe(0);
    expect(sha256(dec.stdout)).toBe(sha256(data));

    const back = run('age', ['-e', '-a', '-r', ours.recipient], data);
    expect(back.code, back.stderr).toBe(0);
    const mine = await runCli(['dec', '-k', ours.path], { input: back.stdout });
    expect({ code: mine.code, stderr: mine.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(mine.stdout)).toBe(sha256(data));
  });

  it('several recipients: each one opens what filecrypt wrote, and filecrypt opens what age wrote to several', async () => {
    const dir = tempDir();
    const a = ageKeygen(dir, 'a.txt');
    const b = ageKeygen(dir, 'b.txt');
    const c = await ageKeyFile(dir, 'c.txt');
    const data = seededBytes('age several', 70_000);
    const enc = await runCli(['enc', '-r', a.recipient, '-r', b.recipient, '-r', c.recipient], { input: data });
    expect(enc.code, enc.stderr).toBe(0);
    for (const key of [a, b]) {
      const dec = run('age', ['-d', '-i', key.path], enc.stdout);
      expect(dec.code, dec.stderr).toBe(0);
      expect(sha256(dec.stdout)).toBe(sha256(data));
    }
    const back = run('age', ['-e', '-r', a.recipient, '-r', c.recipient, '-r', b.recipient], data);
    const mine = await runCli(['dec', '-i', c.path], { input: back.stdout });
    expect({ code: mine.code, stderr: mine.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(mine.stdout)).toBe(sha256(data));
  });

  it.each(AGE_SIZES)('scrypt: filecrypt enc --format age → age -d on a pty (%i bytes)', async (size) => {
    const dir = tempDir();
    const data = seededBytes(`age scrypt ${size}`, size);
    writeFileSync(join(dir, 'plain'), data);
    const args = ['--format', 'age', ...FAST, '--passphrase-file', passFile(dir), '-o', join(dir, 'x.age')];
    const enc = await runCli(['enc', join(dir, 'plain'), ...args]);
    expect(enc).toMatchObject({ code: 0, stderr: '' });
    const dec = onPty(dir, PASSPHRASE, ['age', '-d', '-o', join(dir, 'out'), join(dir, 'x.age')]);
    expect(dec.code, dec.stderr).toBe(0);
    // age creates its -o file at the first plaintext byte: none for an empty file.
    const out = existsSync(join(dir, 'out')) ? readFileSync(join(dir, 'out')) : Buffer.alloc(0);
    expect(sha256(out)).toBe(sha256(data));
  });

  it.each(AGE_SIZES)('scrypt: age -p on a pty → filecrypt dec --passphrase-file (%i bytes)', async (size) => {
    const dir = tempDir();
    const data = seededBytes(`age scrypt back ${size}`, size);
    writeFileSync(join(dir, 'plain'), data);
    const enc = onPty(dir, PASSPHRASE, ['age', '-p', '-o', join(dir, 'x.age'), join(dir, 'plain')]);
    expect(enc.code, enc.stderr).toBe(0);
    // age writes work factor 18, its default and filecrypt's limit is 22: no flag needed.
    const dec = await runCli(['dec', join(dir, 'x.age'), '--passphrase-file', passFile(dir)]);
    expect({ code: dec.code, stderr: dec.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(dec.stdout)).toBe(sha256(data));
  });

  it('scrypt at the default work factor (18), with armor, filecrypt → age', async () => {
    const dir = tempDir();
    const enc = await runCli(['enc', '--format', 'age', '-a', '-o', join(dir, 'x.age')], {
      input: Buffer.from('default work factor\n'),
      env: { FILECRYPT_PASSPHRASE: PASSPHRASE },
    });
    expect(enc).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'x.age'), 'utf8')).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    const dec = onPty(dir, PASSPHRASE, ['age', '-d', '-o', join(dir, 'out'), join(dir, 'x.age')]);
    expect(dec.code, dec.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('default work factor\n');
  });

  it('key files: age-keygen -y reads filecrypt keygen --format age, filecrypt keygen -y reads age-keygen', async () => {
    const dir = tempDir();
    const ours = await ageKeyFile(dir);
    const theirs = ageKeygen(dir);
    const read = run('age-keygen', ['-y', ours.path]);
    expect({ code: read.code, stdout: read.stdout.toString(), stderr: read.stderr }).toEqual({
      code: 0,
      stdout: `${ours.recipient}\n`,
      stderr: '',
    });
    const back = await runCli(['keygen', '-y', theirs.path]);
    expect(back).toMatchObject({ code: 0, stdout: Buffer.from(`${theirs.recipient}\n`), stderr: '' });
  });

  it('a directory encrypted with --format age: age -d gives a tar stream that tar -t lists', async () => {
    const dir = tempDir();
    const key = ageKeygen(dir);
    mkdirSync(join(dir, 'project', 'src'), { recursive: true });
    writeFileSync(join(dir, 'project', 'README'), 'read me\n');
    writeFileSync(join(dir, 'project', 'src', 'main.c'), 'int main(void) { return 0; }\n');
    const enc = await runCli([
      'enc',
      join(dir, 'project'),
      '--format',
      'age',
      '-r',
      key.recipient,
      '-o',
      join(dir, 'p.age'),
    ]);
    expect(enc).toMatchObject({ code: 0, stderr: '' });
    const dec = run('age', ['-d', '-i', key.path, '-o', join(dir, 'p.tar'), join(dir, 'p.age')]);
    expect(dec.code, dec.stderr).toBe(0);
    const list = run('tar', ['-tf', join(dir, 'p.tar')]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.toString().split('\n').filter(Boolean).sort()).toEqual([
      './',
      './README',
      './src/',
      './src/main.c',
    ]);
  });
});

describe('without the age binaries', () => {
  const missing =
    'age (apt-get install -y age), age-keygen (apt-get install -y age), python3 (apt-get install -y python3)';

  it('the tests are skipped with a printed reason, or fail under QUARTET_REQUIRE_SERVICES=1', () => {
    const env = { PATH: tempDir() };
    expect(ageToolsForTests(env)).toEqual({
      available: false,
      reason: `skipped: age interop tests need ${missing}`,
    });
    expect(() => ageToolsForTests({ ...env, QUARTET_REQUIRE_SERVICES: '1' })).toThrow(
      `QUARTET_REQUIRE_SERVICES=1 but missing: ${missing}`,
    );
  });
});

describe('typage (age-encryption, in-process)', () => {
  it.each(AGE_SIZES)('X25519 both ways (%i bytes)', async (size) => {
    const dir = tempDir();
    const data = seededBytes(`typage x25519 ${size}`, size);
    const theirs = await generateX25519Identity();
    const enc = await runCli(['enc', '-r', await identityToRecipient(theirs)], { input: data });
    expect({ code: enc.code, stderr: enc.stderr }).toEqual({ code: 0, stderr: '' });
    const decrypter = new Decrypter();
    decrypter.addIdentity(theirs);
    expect(sha256(Buffer.from(await decrypter.decrypt(enc.stdout)))).toBe(sha256(data));

    const ours = await ageKeyFile(dir);
    const encrypter = new Encrypter();
    encrypter.addRecipient(ours.recipient);
    const back = await runCli(['dec', '-i', ours.path], { input: Buffer.from(await encrypter.encrypt(data)) });
    expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(back.stdout)).toBe(sha256(data));
  });

  it.each(AGE_SIZES)('scrypt both ways (%i bytes)', async (size) => {
    const dir = tempDir();
    const data = seededBytes(`typage scrypt ${size}`, size);
    const enc = await runCli(['enc', '--format', 'age', ...FAST, '--passphrase-file', passFile(dir)], { input: data });
    expect({ code: enc.code, stderr: enc.stderr }).toEqual({ code: 0, stderr: '' });
    const decrypter = new Decrypter();
    decrypter.addPassphrase(PASSPHRASE);
    expect(sha256(Buffer.from(await decrypter.decrypt(enc.stdout)))).toBe(sha256(data));

    const encrypter = new Encrypter();
    encrypter.setPassphrase(PASSPHRASE);
    encrypter.setScryptWorkFactor(10);
    const back = await runCli(['dec', '--passphrase-file', passFile(dir)], {
      input: Buffer.from(await encrypter.encrypt(data)),
    });
    expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(back.stdout)).toBe(sha256(data));
  });

  it('armor both ways', async () => {
    const dir = tempDir();
    const data = seededBytes('typage armor', 65537);
    const theirs = await generateX25519Identity();
    const enc = await runCli(['enc', '--armor', '-r', await identityToRecipient(theirs)], { input: data });
    expect(enc.code, enc.stderr).toBe(0);
    const decrypter = new Decrypter();
    decrypter.addIdentity(theirs);
    const plain = await decrypter.decrypt(armor.decode(enc.stdout.toString()));
    expect(sha256(Buffer.from(plain))).toBe(sha256(data));

    const ours = await ageKeyFile(dir);
    const encrypter = new Encrypter();
    encrypter.addRecipient(ours.recipient);
    const armored = armor.encode(await encrypter.encrypt(data));
    const back = await runCli(['dec', '-i', ours.path], { input: Buffer.from(armored) });
    expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(back.stdout)).toBe(sha256(data));
  });

  it('several recipients both ways', async () => {
    const dir = tempDir();
    const data = seededBytes('typage several', 1000);
    const one = await generateX25519Identity();
    const two = await generateX25519Identity();
    const enc = await runCli(['enc', '-r', await identityToRecipient(one), '-r', await identityToRecipient(two)], {
      input: data,
    });
    expect(enc.code, enc.stderr).toBe(0);
    for (const identity of [one, two]) {
      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      expect(sha256(Buffer.from(await decrypter.decrypt(enc.stdout)))).toBe(sha256(data));
    }
    const ours = await ageKeyFile(dir);
    const encrypter = new Encrypter();
    encrypter.addRecipient(await identityToRecipient(one));
    encrypter.addRecipient(ours.recipient);
    const back = await runCli(['dec', '-i', ours.path], { input: Buffer.from(await encrypter.encrypt(data)) });
    expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(back.stdout)).toBe(sha256(data));
  });

  it('post-quantum (mlkem768x25519) both ways', async () => {
    const dir = tempDir();
    const data = seededBytes('typage pq', 65537);
    const theirs = await generateHybridIdentity();
    const enc = await runCli(['enc', '-r', await identityToRecipient(theirs)], { input: data });
    expect({ code: enc.code, stderr: enc.stderr }).toEqual({ code: 0, stderr: '' });
    const decrypter = new Decrypter();
    decrypter.addIdentity(theirs);
    expect(sha256(Buffer.from(await decrypter.decrypt(enc.stdout)))).toBe(sha256(data));

    const ours = await ageKeyFile(dir, 'pq.txt', ['--pq']);
    expect(ours.recipient.startsWith('age1pq1')).toBe(true);
    expect(await identityToRecipient(secretLine(ours.path))).toBe(ours.recipient);
    const encrypter = new Encrypter();
    encrypter.addRecipient(ours.recipient);
    const back = await runCli(['dec', '-i', ours.path], { input: Buffer.from(await encrypter.encrypt(data)) });
    expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sha256(back.stdout)).toBe(sha256(data));
  });

  it('a filecrypt age key file is a typage identity with the public key filecrypt printed', async () => {
    const dir = tempDir();
    const ours = await ageKeyFile(dir);
    expect(await identityToRecipient(secretLine(ours.path))).toBe(ours.recipient);
  });
});
