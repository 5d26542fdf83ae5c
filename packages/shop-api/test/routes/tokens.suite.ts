/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { claims, forgeToken } from '../support/jwt.js';
import { createContext, PASSWORD, type StoreFactory, type TestContext } from '../support/context.js';

const problem = (code: string, detail: string) => ({
  type: `urn:quartet:shop-api:problem:${code.toLowerCase().replaceAll('_', '-')}`,
  title: 'Unauthorized',
  status: 401,
  detail,
  code,
});
const TOKEN_INVALID = problem('TOKEN_INVALID', 'the access token is invalid');
const TOKEN_REVOKED = problem('TOKEN_REVOKED', 'the access token is no longer valid');
const TOKEN_EXPIRED = problem('TOKEN_EXPIRED', 'the access token has expired');
const TOKEN_MISSING = problem('TOKEN_MISSING', 'this request needs an access token: Authorization: Bearer <token>');

/** GET /me with this Authorization header: status, problem body and WWW-Authenticate. */
async function me(t: TestContext, authorization: string | undefined) {
  const r = await t.api('GET', '/api/v1/me', { headers: authorization === undefined ? {} : { authorization } });
  return { status: r.status, body: r.json, type: r.headers['content-type'], challenge: r.headers['www-authenticate'] };
}

const unauthorized = (body: object, challenge = 'Bearer error="invalid_token"') => ({
  status: 401,
  body,
  type: 'application/problem+json',
  challenge,
});

/** Hostile and broken tokens; each must get exactly TOKEN_INVALID, never a 500 or a 200. */
function forgeries(sub: string): [name: string, token: string][] {
  const now = Math.floor(Date.now() / 1000);
  const good = claims(sub);
  const hs256 = { alg: 'HS256', typ: 'JWT' };
  const { ver: _ver, ...noVersion } = good;
  const { exp: _exp, ...noExpiry } = good;
  const { iat: _iat, ...noIssuedAt } = good;
  return [
    ['HS512 signed with the same secret', forgeToken({ alg: 'HS512', typ: 'JWT' }, good, 'HS512')],
    ['alg none, unsigned', forgeToken({ alg: 'none', typ: 'JWT' }, good, 'none')],
    ['alg none, with an HS256 signature', forgeToken({ alg: 'none', typ: 'JWT' }, good)],
    ['RS256 header, HMAC-signed with the secret', forgeToken({ alg: 'RS256', typ: 'JWT' }, good)],
    ['RS256 header, junk signature', `${forgeToken({ alg: 'RS256' }, good, 'none')}c2lnbmF0dXJl`],
    ['HS256 header, unsigned', forgeToken(hs256, good, 'none')],
    ['malformed base64', '!!!.@@@.###'],
    ['header is not JSON', forgeToken('{alg', good)],
    ['header is a JSON string', forgeToken('"HS256"', good)],
    ['header is null', forgeToken('null', good)],
    ['header is an array', forgeToken('[{"alg":"HS256"}]', good)],
    ['header without alg', forgeToken({ typ: 'JWT' }, good)],
    ['payload is an array', forgeToken(hs256, '[1]')],
    ['payload is a string', forgeToken(hs256, '"x"')],
    ['payload is not JSON', forgeToken(hs256, '{sub')],
    ['sub is an object', forgeToken(hs256, { ...good, sub: { id: sub } })],
    ['sub is a number', forgeToken(hs256, { ...good, sub: 5 })],
    ['sub is not a UUID', forgeToken(hs256, { ...good, sub: `${sub}\u0000` })],
    ['no version', forgeToken(hs256, noVersion)],
    ['version is a string', forgeToken(hs256, { ...good, ver: '0' })],
    ['no expiry', forgeToken(hs256, noExpiry)],
    ['no issued-at', forgeToken(hs256, noIssuedAt)],
    ['issued in the future', forgeToken(hs256, { ...good, iat: now + 3600, exp: now + 3600 + 900 })],
    ['a lifetime over 15 minutes', forgeToken(hs256, { ...good, exp: now + 365 * 24 * 3600 })],
    ['not valid yet (nbf)', forgeToken(hs256, { ...good, nbf: now + 3600 })],
    ['another issuer', forgeToken(hs256, { ...good, iss: 'urn:quartet:bank' })],
    ['another audience', forgeToken(hs256, { ...good, aud: 'urn:quartet:chat' })],
    ['a huge token', forgeToken(hs256, { ...good, pad: 'x'.repeat(100_000) })],
    ['huge garbage', 'a'.repeat(300_000)],
    ['two segments', 'eyJhbGciOiJIUzI1NiJ9.e30'],
    ['four segments', `${forgeToken(hs256, good)}.extra`],
  ];
}

export function tokensSuite(makeStore: StoreFactory): void {
  describe('access tokens', () => {
    it('accepts a well-formed HS256 token, so that each forgery below fails for its own reason', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const r = await me(t, `Bearer ${forgeToken({ alg: 'HS256', typ: 'JWT' }, claims(user.id))}`);
      expect(r.status).toBe(200);
    });

    it('answers every forged, foreign or malformed token with 401 TOKEN_INVALID, never 500', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const answers = [];
      for (const [name, token] of forgeries(user.id)) answers.push([name, await me(t, `Bearer ${token}`)]);
      expect(answers).toEqual(forgeries(user.id).map(([name]) => [name, unauthorized(TOKEN_INVALID)]));
    });

    it.each([
      ['no header', undefined, unauthorized(TOKEN_MISSING, 'Bearer')],
      ['another scheme', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', unauthorized(TOKEN_MISSING, 'Bearer')],
      ['Bearer without a token', 'Bearer', unauthorized(TOKEN_MISSING, 'Bearer')],
      ['Bearer with a NUL', 'Bearer \u0000', unauthorized(TOKEN_INVALID)],
      ['Bearer with two tokens', 'Bearer a.b.c d.e.f', unauthorized(TOKEN_INVALID)],
    ])('answers %s with the exact 401', async (_name, authorization, expected) => {
      const t = await createContext(makeStore);
      expect(await me(t, authorization)).toEqual(expected);
    });

    it('answers an expired token with 401 TOKEN_EXPIRED', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const token = forgeToken({ alg: 'HS256' }, claims(user.id, 0, Math.floor(Date.now() / 1000) - 16 * 60));
      expect(await me(t, `Bearer ${token}`)).toEqual(unauthorized(TOKEN_EXPIRED));
    });
  });

  describe('revoking access tokens', () => {
    it('logout ends the access tokens issued so far; a new login works', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const other = await t.customer();
      expect((await me(t, `Bearer ${user.token}`)).status).toBe(200);
      const out = await t.api('POST', '/api/v1/auth/logout', { body: { refreshToken: user.refreshToken } });
      expect(out.status).toBe(204);
      expect(await me(t, `Bearer ${user.token}`)).toEqual(unauthorized(TOKEN_REVOKED));
      // Another user's session is untouched, and so is the user's next one.
      expect((await me(t, `Bearer ${other.token}`)).status).toBe(200);
      const again = await t.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
      expect((await me(t, `Bearer ${again.json.accessToken}`)).status).toBe(200);
    });

    it('deactivation ends the access tokens at once, and reactivation does not bring them back', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const user = await t.customer();
      const patch = (active: boolean) =>
        t.api('PATCH', `/api/v1/admin/users/${user.id}`, { token: admin.token, body: { active } });
      expect((await me(t, `Bearer ${user.token}`)).status).toBe(200);
      expect((await patch(false)).status).toBe(200);
      expect(await me(t, `Bearer ${user.token}`)).toEqual(unauthorized(TOKEN_REVOKED));
      expect((await patch(true)).status).toBe(200);
      expect(await me(t, `Bearer ${user.token}`)).toEqual(unauthorized(TOKEN_REVOKED));
      const refresh = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
      expect(refresh.status).toBe(401);
      const again = await t.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
      expect(again.status).toBe(200);
      expect((await me(t, `Bearer ${again.json.accessToken}`)).body).toMatchObject({ id: user.id, active: true });
    });

    it('a reused refresh token (a stolen session) ends the access tokens too', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const rotated = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
      expect((await me(t, `Bearer ${rotated.json.accessToken}`)).status).toBe(200);
      const reuse = await t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: user.refreshToken } });
      expect(reuse.json.code).toBe('REFRESH_TOKEN_REUSED');
      expect(await me(t, `Bearer ${rotated.json.accessToken}`)).toEqual(unauthorized(TOKEN_REVOKED));
      expect(await me(t, `Bearer ${user.token}`)).toEqual(unauthorized(TOKEN_REVOKED));
    });
  });
}
