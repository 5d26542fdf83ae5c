import { describe, expect, it } from 'vitest';
import { createPasswordHasher, type PasswordHasher } from '@quartet/core';
import { createAuthService } from '../src/services/auth.js';
import type { ServiceContext } from '../src/services/context.js';
import { noTelemetry } from '../src/services/telemetry.js';
import { PASSWORD } from './support/context.js';
import { sqliteStore } from './support/sqlite.js';

/** A real hasher at cost 4 that counts what it is asked to do. */
function countingHasher() {
  const real = createPasswordHasher({ cost: 4 });
  const calls = { hash: 0, verify: 0, verifyDummy: 0 };
  const hasher: PasswordHasher = {
    cost: real.cost,
    hash: (password) => (calls.hash++, real.hash(password)),
    verify: (password, hash) => (calls.verify++, real.verify(password, hash)),
    verifyDummy: (password) => (calls.verifyDummy++, real.verifyDummy(password)),
  };
  return { hasher, calls };
}

async function authService() {
  const { hasher, calls } = countingHasher();
  const ctx: ServiceContext = {
    store: await sqliteStore(),
    hasher,
    clock: () => new Date(),
    signAccessToken: (sub, ver) => `token-for-${sub}@${ver}`,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlMs: 60_000,
    idempotency: { ttlMs: 60_000, staleMs: 1000 },
    lowStockThreshold: 5,
    telemetry: noTelemetry,
  };
  return { auth: createAuthService(ctx), calls, store: ctx.store };
}

describe('login costs one bcrypt comparison whatever fails', () => {
  it.each([
    ['unknown email', 'nobody@example.com', PASSWORD, { verify: 0, verifyDummy: 1 }],
    ['wrong password', 'known@example.com', 'wrong password!!', { verify: 1, verifyDummy: 0 }],
    ['deactivated user', 'off@example.com', PASSWORD, { verify: 1, verifyDummy: 0 }],
  ])('%s', async (_name, email, password, expected) => {
    const { auth, calls, store } = await authService();
    await auth.register({ email: 'known@example.com', password: PASSWORD, name: 'K' });
    const off = await auth.register({ email: 'off@example.com', password: PASSWORD, name: 'O' });
    await store.users.update(off.id, { active: false }, new Date().toISOString());
    calls.verify = 0;
    await expect(auth.login({ email, password }, '127.0.0.1')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect({ verify: calls.verify, verifyDummy: calls.verifyDummy }).toEqual(expected);
  });

  it('signs the access token for the user on success', async () => {
    const { auth } = await authService();
    const user = await auth.register({ email: 'ok@example.com', password: PASSWORD, name: 'O' });
    const pair = await auth.login({ email: 'ok@example.com', password: PASSWORD }, null);
    expect(pair).toMatchObject({ accessToken: `token-for-${user.id}@0`, tokenType: 'Bearer', expiresIn: 900 });
  });
});
