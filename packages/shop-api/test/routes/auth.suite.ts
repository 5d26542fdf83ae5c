/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, expectProblemShape, PASSWORD, type StoreFactory } from '../support/context.js';

export function authSuite(makeStore: StoreFactory): void {
  describe('auth', () => {
    it('registers a customer, lower-cases the email and never returns the hash', async () => {
      const t = await createContext(makeStore);
      const r = await t.api('POST', '/api/v1/auth/register', {
        body: { email: 'Ann@Example.COM', password: PASSWORD, name: ' Ann ' },
      });
      expect(r.status).toBe(201);
      expect(Object.keys(r.json).sort()).toEqual(['active', 'createdAt', 'email', 'id', 'name', 'role', 'updatedAt']);
      expect(r.json).toMatchObject({ email: 'ann@example.com', name: 'Ann', role: 'customer', active: true });
      expect(r.body).not.toContain('$2b$');
    });

    it('refuses an email already in use with 409, whatever its case', async () => {
      const t = await createContext(makeStore);
      await t.customer('dup@example.com');
      const r = await t.api('POST', '/api/v1/auth/register', {
        body: { email: 'DUP@example.com', password: PASSWORD, name: 'Other' },
      });
      expect(r.status).toBe(409);
      expect(r.json.code).toBe('EMAIL_TAKEN');
      expectProblemShape(r);
    });

    it.each([
      ['short', 'a'.repeat(11), 'password must be at least 12 characters'],
      ['over 72 bytes', 'é'.repeat(37), 'password must be at most 72 bytes of UTF-8'],
    ])('applies core password rules: %s', async (_name, password, message) => {
      const t = await createContext(makeStore);
      const r = await t.api('POST', '/api/v1/auth/register', { body: { email: 'p@example.com', password, name: 'P' } });
      expect(r.status).toBe(400);
      expect(r.json.errors).toEqual([{ path: 'body.password', message }]);
    });

    it('logs in with a Bearer access token for 15 minutes and an opaque refresh token', async () => {
      const t = await createContext(makeStore);
      await t.customer('log@example.com');
      const r = await t.api('POST', '/api/v1/auth/login', { body: { email: 'log@example.com', password: PASSWORD } });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      expect(r.json.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const me = await t.api('GET', '/api/v1/me', { token: r.json.accessToken });
      expect(me.status).toBe(200);
      expect(me.json.email).toBe('log@example.com');
    });

    it('gives one generic 401 for unknown email, wrong password and deactivated user', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer('gone@example.com');
      await t.customer('here@example.com');
      await t.store.users.update(user.id, { active: false }, new Date().toISOString());
      const attempts = [
        { email: 'nobody@example.com', password: PASSWORD },
        { email: 'here@example.com', password: 'wrong password!!' },
        { email: 'gone@example.com', password: PASSWORD },
      ];
      const bodies = [];
      for (const body of attempts) {
        const r = await t.api('POST', '/api/v1/auth/login', { body });
        expect(r.status).toBe(401);
        expectProblemShape(r);
        bodies.push(r.json.code + r.json.detail);
      }
      expect(new Set(bodies).size).toBe(1);
      expect(bodies[0]).toBe('INVALID_CREDENTIALSemail or password is incorrect');
    });

    it('rotates refresh tokens, and reuse of a used one revokes the whole family', async () => {
      const t = await createContext(makeStore);
      const { refreshToken } = await t.customer();
      const first = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
      expect(first.status).toBe(200);
      expect(first.json.refreshToken).not.toBe(refreshToken);
      const me = await t.api('GET', '/api/v1/me', { token: first.json.accessToken });
      expect(me.status).toBe(200);

      const replay = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
      expect(replay.status).toBe(401);
      expect(replay.json.code).toBe('REFRESH_TOKEN_REUSED');
      // The newest token of that family is dead too.
      const after = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: first.json.refreshToken } });
      expect(after.status).toBe(401);
      expect(after.json.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('rejects an unknown or expired refresh token', async () => {
      const t = await createContext(makeStore);
      const { refreshToken } = await t.customer();
      const unknown = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'x'.repeat(43) } });
      expect(unknown.status).toBe(401);
      expect(unknown.json.code).toBe('INVALID_REFRESH_TOKEN');
      t.clock.now += 31 * 24 * 3600 * 1000;
      const expired = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
      expect(expired.status).toBe(401);
      expect(expired.json.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('logs out: the refresh token stops working; unknown tokens are accepted silently', async () => {
      const t = await createContext(makeStore);
      const { refreshToken } = await t.customer();
      expect((await t.api('POST', '/api/v1/auth/logout', { body: { refreshToken } })).status).toBe(204);
      const r = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken } });
      expect(r.status).toBe(401);
      expect((await t.api('POST', '/api/v1/auth/logout', { body: { refreshToken: 'nope' } })).status).toBe(204);
    });

    it('expires access tokens after 15 minutes', async () => {
      const t = await createContext(makeStore);
      // Tokens are signed with the app clock and verified against real time: sign 14 and 16 minutes ago.
      t.clock.now = Date.now() - 14 * 60 * 1000;
      const fresh = await t.customer();
      t.clock.now = Date.now() - 16 * 60 * 1000;
      const stale = await t.customer();
      expect((await t.api('GET', '/api/v1/me', { token: fresh.token })).status).toBe(200);
      const r = await t.api('GET', '/api/v1/me', { token: stale.token });
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('TOKEN_EXPIRED');
      expect(r.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it.each([
      ['no header', undefined, 'TOKEN_MISSING'],
      ['garbage', 'Bearer not.a.jwt', 'TOKEN_INVALID'],
      ['wrong scheme', 'Basic abc', 'TOKEN_MISSING'],
    ])('rejects %s with 401', async (_name, authorization, code) => {
      const t = await createContext(makeStore);
      const r = await t.api('GET', '/api/v1/me', { headers: authorization ? { authorization } : {} });
      expect(r.status).toBe(401);
      expect(r.json.code).toBe(code);
      expectProblemShape(r);
    });

    it('rejects a token signed with another secret', async () => {
      const t = await createContext(makeStore);
      const other = await createContext(makeStore, { jwtSecret: 'another-secret-another-secret-another-1' });
      const { token } = await other.customer('x@example.com');
      const r = await t.api('GET', '/api/v1/me', { token });
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('TOKEN_INVALID');
    });

    it('stops a deactivated user at their next request, and applies a role change at once', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const user = await t.customer();
      expect((await t.api('GET', '/api/v1/admin/stats', { token: user.token })).status).toBe(403);
      await t.api('PATCH', `/api/v1/admin/users/${user.id}`, { token: admin.token, body: { role: 'admin' } });
      expect((await t.api('GET', '/api/v1/admin/stats', { token: user.token })).status).toBe(200);
      await t.api('PATCH', `/api/v1/admin/users/${user.id}`, { token: admin.token, body: { active: false } });
      const r = await t.api('GET', '/api/v1/me', { token: user.token });
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('TOKEN_REVOKED');
      const refresh = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
      expect(refresh.status).toBe(401);
    });

    it('rate-limits login and register with 429 and Retry-After', async () => {
      const t = await createContext(makeStore, { authRateLimit: 3 });
      const body = { email: 'rl@example.com', password: 'wrong password!!' };
      for (let i = 0; i < 3; i++) expect((await t.api('POST', '/api/v1/auth/login', { body })).status).toBe(401);
      const limited = await t.api('POST', '/api/v1/auth/login', { body });
      expect(limited.status).toBe(429);
      expect(limited.json.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expectProblemShape(limited);
      const reg = { email: 'r@example.com', password: PASSWORD, name: 'R' };
      for (let i = 0; i < 3; i++) await t.api('POST', '/api/v1/auth/register', { body: reg });
      expect((await t.api('POST', '/api/v1/auth/register', { body: reg })).status).toBe(429);
      // Other routes are not limited.
      expect((await t.api('GET', '/api/v1/products')).status).toBe(200);
    });
  });
}
