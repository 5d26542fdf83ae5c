import bcrypt from 'bcrypt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPasswordHasher, DEFAULT_BCRYPT_COST } from '../src/index.js';

// Cost 4 is bcrypt's minimum: real hashes, fast tests.
const hasher = createPasswordHasher({ cost: 4 });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('password hashing', () => {
  it('hashes with the configured cost and verifies', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$2b\$04\$.{53}$/);
    expect(await hasher.verify('correct horse battery staple', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery stapl', hash)).toBe(false);
  });

  it('defaults to cost 12', () => {
    expect(DEFAULT_BCRYPT_COST).toBe(12);
    expect(createPasswordHasher().cost).toBe(12);
  });

  it('refuses a cost bcrypt cannot use', () => {
    expect(() => createPasswordHasher({ cost: 3 })).toThrow('bcrypt cost must be an integer from 4 to 31, got 3');
    expect(() => createPasswordHasher({ cost: 10.5 })).toThrow('bcrypt cost must be an integer from 4 to 31, got 10.5');
  });

  it('accepts exactly 72 bytes and refuses 73, counting UTF-8 bytes', async () => {
    await expect(hasher.hash('a'.repeat(72))).resolves.toMatch(/^\$2b\$04\$/);
    await expect(hasher.hash('a'.repeat(73))).rejects.toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        code: 'PASSWORD_TOO_LONG',
        message: 'password is 73 bytes long; the maximum is 72 bytes of UTF-8',
      }),
    );
    // 36 characters, but "é" is two bytes: 72 + 2 = 74 bytes.
    await expect(hasher.hash('é'.repeat(37))).rejects.toThrow(
      'password is 74 bytes long; the maximum is 72 bytes of UTF-8',
    );
  });

  it('would otherwise confuse passwords that differ after byte 72', async () => {
    // This is the bcrypt behaviour the length check protects against.
    const hash = await bcrypt.hash('a'.repeat(72) + 'X', 4);
    expect(await bcrypt.compare('a'.repeat(72) + 'Y', hash)).toBe(true);
    // Our verify never says yes to an over-long password.
    expect(await hasher.verify('a'.repeat(72) + 'Y', hash)).toBe(false);
  });

  it('verifyDummy always says no, after a real comparison at the same cost', async () => {
    const compare = vi.spyOn(bcrypt, 'compare');
    expect(await hasher.verifyDummy('anything at all')).toBe(false);
    expect(await hasher.verifyDummy('quartet-dummy-password')).toBe(false);
    expect(compare).toHaveBeenCalledTimes(2);
    const hashUsed = compare.mock.calls[0]?.[1];
    expect(hashUsed).toMatch(/^\$2b\$04\$/);
  });
});
