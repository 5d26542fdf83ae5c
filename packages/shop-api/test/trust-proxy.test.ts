/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- response bodies are untyped JSON; the assertions are the type check. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@quartet/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AppOptions } from '../src/app.js';
import { createContext } from './support/context.js';
import { sqliteStore } from './support/sqlite.js';

/** An app allowing 2 logins per client per minute, logging at info into a file the test reads. */
async function shop(options: Partial<AppOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-api-proxy-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'log.ndjson');
  const logger = createLogger({ name: 'shop-api', defaultLevel: 'info', env: {}, destination: file });
  const t = await createContext(sqliteStore, { authRateLimit: 2, logger, ...options });
  const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' });
  /** A login attempt arriving from `socket`, saying it was forwarded for `forwardedFor`: the status. */
  const login = async (socket: string, forwardedFor?: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: socket,
      headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      payload: body,
    });
    return r.statusCode;
  };
  /** The client address each 'incoming request' line recorded. */
  const loggedClients = () =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; req?: { remoteAddress?: string } })
      .filter((line) => line.msg === 'incoming request')
      .map((line) => line.req?.remoteAddress);
  return { t, login, loggedClients };
}

describe('behind a reverse proxy (SHOP_TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For by default: spoofing it does not evade the rate limit', async () => {
    const { login, loggedClients } = await shop();
    const statuses = [];
    for (const spoofed of ['198.51.100.1', '198.51.100.2', '198.51.100.3'])
      statuses.push(await login('127.0.0.1', spoofed));
    expect(statuses).toEqual([401, 401, 429]);
    expect(loggedClients()).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });

  it('counts and logs the forwarded client when the request comes from a trusted proxy', async () => {
    const { t, login, loggedClients } = await shop({ trustProxy: ['127.0.0.1'] });
    // nginx appends the address it saw: whatever the client put before it is not believed.
    const statuses = [
      await login('127.0.0.1', '203.0.113.7'),
      await login('127.0.0.1', '203.0.113.8'),
      await login('127.0.0.1', '198.51.100.99, 203.0.113.9'),
      await login('127.0.0.1', '203.0.113.7'),
      await login('127.0.0.1', '203.0.113.7'),
    ];
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(loggedClients()).toEqual(['203.0.113.7', '203.0.113.8', '203.0.113.9', '203.0.113.7', '203.0.113.7']);
    const admin = await t.admin();
    const activity = await t.api('GET', '/api/v1/admin/activity?action=login.failed', { token: admin.token });
    // Newest first; the refused fifth attempt never reached the login.
    expect(activity.json.items.map((entry: { ip: string }) => entry.ip)).toEqual([
      '203.0.113.7',
      '203.0.113.9',
      '203.0.113.8',
      '203.0.113.7',
    ]);
  });

  it('ignores X-Forwarded-For from an address that is not one of the trusted proxies', async () => {
    const { login, loggedClients } = await shop({ trustProxy: ['10.0.0.1', '10.0.1.0/24'] });
    const statuses = [await login('127.0.0.1', '203.0.113.1'), await login('127.0.0.1', '203.0.113.2')];
    statuses.push(await login('127.0.0.1', '203.0.113.3'));
    expect(statuses).toEqual([401, 401, 429]);
    expect(loggedClients()).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    // From a trusted proxy, the same header is believed.
    expect(await login('10.0.1.5', '203.0.113.4')).toBe(401);
    expect(loggedClients().at(-1)).toBe('203.0.113.4');
  });

  it('with a hop count, believes that many hops: the address the nearest proxy appended', async () => {
    const { login, loggedClients } = await shop({ trustProxy: 1 });
    expect(await login('127.0.0.1', '198.51.100.1, 203.0.113.5')).toBe(401);
    expect(await login('127.0.0.1')).toBe(401);
    expect(loggedClients()).toEqual(['203.0.113.5', '127.0.0.1']);
  });
});
