import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type LogLevel } from '@quartet/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createContext } from './support/context.js';
import { sqliteStore } from './support/sqlite.js';

interface LogLine {
  level: number;
  name: string;
  msg: string;
  reqId?: string;
  req?: unknown;
  res?: unknown;
  err?: unknown;
}

async function appLoggingAt(level: LogLevel) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-api-log-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'log.ndjson');
  const logger = createLogger({ name: 'shop-api', defaultLevel: level, env: {}, destination: file });
  const t = await createContext(sqliteStore, { logger });
  const lines = () =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
  return { t, lines };
}

describe('request logging', () => {
  it('logs each request and its completion with the request id at info', async () => {
    const { t, lines } = await appLoggingAt('info');
    const r = await t.api('GET', '/api/v1/products?limit=5');
    const id = r.headers['x-request-id'];
    const mine = lines().filter((line) => line.reqId === id);
    expect(mine.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
    expect(mine[0]!.req).toMatchObject({ method: 'GET', url: '/api/v1/products?limit=5' });
    expect(mine[1]!.res).toEqual({ statusCode: 200 });
    expect(mine.every((line) => line.name === 'shop-api' && line.level === 30)).toBe(true);
  });

  it('at warn, logs nothing for a good request and the error with its request id for a failed one', async () => {
    const { t, lines } = await appLoggingAt('warn');
    await t.api('GET', '/api/v1/products');
    expect(lines()).toEqual([]);
    t.store.products.categories = () => Promise.reject(new Error('disk on fire'));
    const r = await t.api('GET', '/api/v1/categories');
    expect(r.status).toBe(500);
    const logged = lines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      name: 'shop-api',
      msg: 'request failed',
      reqId: r.headers['x-request-id'],
      err: { message: 'disk on fire' },
    });
  });
});
