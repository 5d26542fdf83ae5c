import { randomBytes } from 'node:crypto';
import { serviceForTests, serviceUrl } from '@quartet/core';
import { onTestFinished, vi } from 'vitest';
import { connectRedisCache, type RedisCache } from '../../src/cache/redis.js';

/**
 * Redis for tests: $REDIS_URL (default redis://127.0.0.1:6379), or a skip with the printed reason
 * when it is not reachable (a failure under QUARTET_REQUIRE_SERVICES=1).
 */
export const redis = await serviceForTests('redis');
if (!redis.available) console.warn(`shop-api Redis tests ${redis.reason}`);

/** A key prefix of its own, so that parallel files and runs never see each other's keys. */
export const redisPrefix = () => `shop-test-${randomBytes(6).toString('hex')}:`;

export interface CacheLog {
  lines: { level: 'warn' | 'info'; message: string }[];
}

/** One instance's connection (its own, as a separate server would have), closed after the test, its log kept. */
export async function testRedisCache(prefix: string, url = serviceUrl('redis')): Promise<RedisCache & CacheLog> {
  const lines: CacheLog['lines'] = [];
  const cache = connectRedisCache(url, {
    prefix,
    log: {
      warn: (message) => lines.push({ level: 'warn', message }),
      info: (message) => lines.push({ level: 'info', message }),
    },
  });
  onTestFinished(() => cache.close());
  await vi.waitFor(() => {
    if (cache.catalog.status() !== 'ok') throw new Error('the catalog cache is not ready');
  });
  return { ...cache, lines };
}
