import type { FastifyReply, onRequestHookHandler, onSendHookHandler } from 'fastify';
import type { CatalogCache } from '../cache/catalog-cache.js';
import type { ReadMemo } from '../db/store.js';
import type { Telemetry } from '../services/telemetry.js';

/** The content type Fastify gives a serialized JSON answer. */
const JSON_UTF8 = 'application/json; charset=utf-8';

/** The catalog cache shared by all instances (SHOP_REDIS_URL), and what to count lookups as. */
export interface SharedLookup {
  cache: CatalogCache | undefined;
  telemetry: Telemetry;
  /** products, product or categories. */
  resource: string;
}

type Hooks = { onRequest?: onRequestHookHandler; onSend?: onSendHookHandler };

/**
 * Route hooks that answer a repeated catalog GET with the bytes the route sent
 * last time, for as long as the store's memo says the database is unchanged
 * (on SQLite: no write by this or any other process since), or the shared cache
 * holds them at the current catalog version. A hit is answered in onRequest,
 * after the global hooks have set the security, CORS and request id headers, so
 * it skips querystring validation, the handler and the serializer; a miss runs
 * the route as usual and keeps its 200 answer. The body depends only on the URL
 * and the database: only 200 JSON answers are kept (a 400 or 404 is recomputed
 * every time), keyed by the raw URL, so a URL that failed validation never has
 * an entry.
 *
 * The memo is asked first: it is exact and in this process, so a memo hit costs
 * no round trip. A shared hit is not copied into the memo: the memo keeps only
 * what was computed after its stamp, and a shared entry may predate a write that
 * committed but has not bumped the version yet. With the shared cache, every
 * answer says X-Cache: HIT or MISS; without any cache there are no hooks at all.
 */
export function cachedGet(memo: ReadMemo | undefined, shared?: SharedLookup): Hooks {
  const cache = shared?.cache;
  if (cache === undefined || shared === undefined) return memo === undefined ? {} : memoHooks(memo, shared);
  const { telemetry, resource } = shared;
  // The database state (memo) and catalog version (cache) each missed request started from.
  const stamps = new WeakMap<object, number>();
  const versions = new WeakMap<object, string>();
  return {
    onRequest(request, reply, done) {
      if (request.method !== 'GET') return done();
      const kept = memo?.get(request.url);
      if (kept !== undefined) {
        telemetry.cacheLookup(resource, true);
        answer(reply.header('x-cache', 'HIT'), kept);
        return;
      }
      if (memo !== undefined) stamps.set(request, memo.stamp());
      // lookup never rejects: a Redis failure is a miss without a version.
      void cache.lookup(request.url).then((found) => {
        telemetry.cacheLookup(resource, found.hit);
        if (found.hit) {
          answer(reply.header('x-cache', 'HIT'), found.body);
          return;
        }
        reply.header('x-cache', 'MISS');
        if (found.version !== undefined) versions.set(request, found.version);
        done();
      }, done);
    },
    onSend(request, reply, payload, done) {
      if (keepable(reply, payload)) {
        const stamp = stamps.get(request);
        if (stamp !== undefined) memo?.keep(request.url, Buffer.from(payload), stamp);
        const version = versions.get(request);
        if (version !== undefined) cache.keep(request.url, payload, version);
      }
      done(null, payload);
    },
  };
}

function memoHooks(memo: ReadMemo, shared: SharedLookup | undefined): Hooks {
  const stamps = new WeakMap<object, number>();
  return {
    onRequest(request, reply, done) {
      if (request.method !== 'GET') return done();
      const body = memo.get(request.url);
      shared?.telemetry.cacheLookup(shared.resource, body !== undefined);
      if (body === undefined) {
        stamps.set(request, memo.stamp());
        return done();
      }
      // Answered here: the rest of the route (validation, handler, serializer) does not run.
      answer(reply, body);
    },
    onSend(request, reply, payload, done) {
      const stamp = stamps.get(request);
      if (stamp !== undefined && keepable(reply, payload)) memo.keep(request.url, Buffer.from(payload), stamp);
      done(null, payload);
    },
  };
}

function answer(reply: FastifyReply, body: Uint8Array | string): FastifyReply {
  return reply.header('content-type', JSON_UTF8).send(body);
}

function keepable(reply: FastifyReply, payload: unknown): payload is string {
  return reply.statusCode === 200 && typeof payload === 'string' && reply.getHeader('content-type') === JSON_UTF8;
}
