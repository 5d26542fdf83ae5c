import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateCounter } from './catalog-cache.js';

type Incr = FastifyRateLimitStore['incr'];

/** Keys counted in memory at most (the oldest go first), as @fastify/rate-limit's own store. */
const LOCAL_KEYS = 5000;

/**
 * A @fastify/rate-limit store that counts in Redis, so that every instance sees the same counts, and
 * in this process's memory while Redis is not answering. Failing open (the plugin's skipOnError) would
 * let a login flood through during an outage; failing closed (an error per login) would lock everyone
 * out; counting per instance keeps the limit, at worst multiplied by the number of instances.
 */
export function sharedRateLimitStore(counter: RateCounter): FastifyRateLimitStoreCtor {
  const local = new Map<string, { count: number; endsAt: number }>();

  function countLocally(key: string, windowMs: number): { current: number; ttl: number } {
    const now = Date.now();
    let entry = local.get(key);
    if (entry === undefined || entry.endsAt <= now) {
      local.delete(key);
      if (local.size >= LOCAL_KEYS) local.delete(local.keys().next().value as string);
      entry = { count: 0, endsAt: now + windowMs };
      local.set(key, entry);
    }
    entry.count += 1;
    return { current: entry.count, ttl: entry.endsAt - now };
  }

  function store(scope: string): FastifyRateLimitStore {
    const incr: Incr = (key, callback, timeWindow) => {
      const scoped = `${scope}${key}`;
      counter.incr(scoped, timeWindow).then(
        (result) => callback(null, result),
        () => callback(null, countLocally(scoped, timeWindow)),
      );
    };
    return {
      incr,
      // One counter per route, as the plugin's stores do (it passes its parameters, with the route as routeInfo).
      child: (params) => {
        const route = (params as unknown as { routeInfo: { method?: unknown; url?: string } }).routeInfo;
        return store(`${scope}${String(route.method)}${route.url ?? ''}-`);
      },
    };
  }

  return class SharedRateLimitStore {
    constructor() {
      return store('');
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
