import { createServer, type Server } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { probeService, serviceForTests, serviceUrl, UnavailableError } from '../src/index.js';

async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: address.port };
}

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('service URLs', () => {
  it('defaults to the local services and honours the environment', () => {
    expect(serviceUrl('postgres', {})).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(serviceUrl('redis', {})).toBe('redis://127.0.0.1:6379');
    expect(serviceUrl('postgres', { DATABASE_URL: 'postgres://u@db:5433/x' })).toBe('postgres://u@db:5433/x');
    expect(serviceUrl('redis', { REDIS_URL: 'redis://cache:6380' })).toBe('redis://cache:6380');
  });
});

describe('probeService', () => {
  it('finds a listening service', async () => {
    const { port } = await listen();
    await expect(probeService('redis', { env: { REDIS_URL: `redis://127.0.0.1:${port}` } })).resolves.toEqual({
      name: 'redis',
      url: `redis://127.0.0.1:${port}`,
      available: true,
    });
  });

  it('explains an absent service in one line, without the password', async () => {
    const port = await closedPort();
    const status = await probeService('postgres', {
      env: { DATABASE_URL: `postgres://me:secret@127.0.0.1:${port}/test` },
    });
    expect(status).toEqual({
      name: 'postgres',
      url: `postgres://me:secret@127.0.0.1:${port}/test`,
      available: false,
      reason: `skipped: PostgreSQL not reachable at postgres://me:***@127.0.0.1:${port}/test (ECONNREFUSED); set DATABASE_URL`,
    });
  });

  it('reports a malformed URL', async () => {
    const status = await probeService('redis', { env: { REDIS_URL: 'not a url' } });
    expect(status).toMatchObject({ available: false, reason: 'skipped: REDIS_URL is not a valid URL' });
  });
});

describe('serviceForTests', () => {
  it('skips quietly by default and fails when services are required', async () => {
    const port = await closedPort();
    const env = { REDIS_URL: `redis://127.0.0.1:${port}` };
    await expect(serviceForTests('redis', env)).resolves.toMatchObject({ available: false });
    const required = serviceForTests('redis', { ...env, QUARTET_REQUIRE_SERVICES: '1' });
    await expect(required).rejects.toBeInstanceOf(UnavailableError);
    await expect(required).rejects.toThrow(
      `QUARTET_REQUIRE_SERVICES=1 but Redis not reachable at redis://127.0.0.1:${port} (ECONNREFUSED); set REDIS_URL`,
    );
  });

  // The machine's real services: CI requires them, elsewhere these skip with the reason printed.
  it.for(['postgres', 'redis'] as const)('%s is reachable here, or skipped with a reason', async (name, ctx) => {
    const status = await serviceForTests(name);
    if (!status.available) {
      console.log(status.reason);
      ctx.skip(status.reason);
      return;
    }
    expect(status.available).toBe(true);
  });
});
