import type { onRequestHookHandler, onSendHookHandler } from 'fastify';
import type { ReadMemo } from '../db/store.js';

/** The content type Fastify gives a serialized JSON answer. */
const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Route hooks that answer a repeated catalog GET with the bytes the route sent
 * last time, for as long as the store's memo says the database is unchanged
 * (on SQLite: no write by this or any other process since). A hit is answered
 * in onRequest, after the global hooks have set the security, CORS and request
 * id headers, so it skips querystring validation, the handler and the
 * serializer; a miss runs the route as usual and keeps its 200 answer. The body
 * depends only on the URL and the database: only 200 JSON answers are kept
 * (a 400 or 404 is recomputed every time), keyed by the raw URL, so a URL that
 * failed validation never has an entry. Without a memo (PostgreSQL) there are
 * no hooks at all.
 */
export function cachedGet(memo: ReadMemo | undefined): {
  onRequest?: onRequestHookHandler;
  onSend?: onSendHookHandler;
} {
  if (memo === undefined) return {};
  // The database state each missed request started from: its answer is kept only if nothing changed since.
  const stamps = new WeakMap<object, number>();
  return {
    onRequest(request, reply, done) {
      if (request.method !== 'GET') return done();
      const body = memo.get(request.url);
      if (body === undefined) {
        stamps.set(request, memo.stamp());
        return done();
      }
      // Answered here: the rest of the route (validation, handler, serializer) does not run.
      reply.header('content-type', JSON_UTF8).send(body);
    },
    onSend(request, reply, payload, done) {
      const stamp = stamps.get(request);
      if (
        stamp !== undefined &&
        reply.statusCode === 200 &&
        typeof payload === 'string' &&
        reply.getHeader('content-type') === JSON_UTF8
      ) {
        memo.keep(request.url, Buffer.from(payload), stamp);
      }
      done(null, payload);
    },
  };
}
