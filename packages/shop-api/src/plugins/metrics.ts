/* eslint-disable @typescript-eslint/require-await -- Fastify plugins are async by contract. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '@quartet/core';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Metrics } from '../metrics/registry.js';
import type { Telemetry } from '../services/telemetry.js';
import { noStoreUnlessPublic } from './security.js';

export { createMetrics, type Metrics } from '../metrics/registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's telemetry (Prometheus-backed with metrics on, else the one given or none), for work beside the app. */
    telemetry: Telemetry;
  }
}

export interface MetricsOptions {
  /** When set, GET /metrics wants `Authorization: Bearer <token>`; without it the endpoint is open. */
  token?: string | undefined;
}

/** The one route label of every request no route matched: a scanner's URLs must not become series. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Time every request into the histogram, labelled by its route template (`/api/v1/products/:id`),
 * never the URL, and serve the registry at GET /metrics (root, where Prometheus looks; left out of
 * the OpenAPI document, which describes the API). Call before the routes are registered, so that
 * the timing hook covers them.
 */
export async function registerMetrics(app: FastifyInstance, metrics: Metrics, options: MetricsOptions): Promise<void> {
  const { registry, requestDuration } = metrics;
  app.addHook('onResponse', (request, reply, done) => {
    requestDuration.observe(
      { method: request.method, route: routeLabel(request), status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  await app.register(async (scope) => {
    // Counts per order and per route: not for intermediaries to keep, 401s included.
    scope.addHook('onRequest', noStoreUnlessPublic);
    if (options.token !== undefined) scope.addHook('onRequest', bearerGuard(options.token));
    scope.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    });
  });
}

/** Requests no route matched (the not-found handler, a malformed URL) have no route template. */
function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ROUTE;
}

/**
 * Compare digests, not the strings: timingSafeEqual needs equal lengths, and comparing the
 * token itself would give its length away through the early exit.
 */
function bearerGuard(token: string): onRequestHookHandler {
  const expected = digest(token);
  return (request, _reply, done) => {
    const header = request.headers.authorization;
    if (header === undefined) {
      done(new UnauthenticatedError('/metrics requires a bearer token', 'TOKEN_MISSING'));
      return;
    }
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      done(new UnauthenticatedError('the metrics token is not valid', 'TOKEN_INVALID'));
      return;
    }
    done();
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
