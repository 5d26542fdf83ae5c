import { randomUUID } from 'node:crypto';
import { createPasswordHasher, type Logger } from '@quartet/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { SharedCache } from './cache/catalog-cache.js';
import { sharedRateLimitStore } from './cache/rate-limit-store.js';
import type { Store } from './db/store.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  accessTokenSigner,
  accessTokenVerifier,
  authHooks,
  registerJwt,
} from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { safeLogger } from './plugins/log-safety.js';
import { createMetrics, registerMetrics, type MetricsOptions } from './plugins/metrics.js';
import { registerOpenApi } from './plugins/openapi.js';
import { lazyRequestLogger } from './plugins/request-logger.js';
import { noStoreUnlessPublic, registerSecurity } from './plugins/security.js';
import { zodFastSerializer } from './plugins/serializer.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { cartRoutes } from './routes/cart.js';
import { couponRoutes } from './routes/coupons.js';
import type { RouteDeps } from './routes/deps.js';
import { healthRoutes } from './routes/health.js';
import { orderRoutes } from './routes/orders.js';
import { productRoutes } from './routes/products.js';
import { reportRoutes } from './routes/reports.js';
import { createServices } from './services/index.js';
import { noTelemetry, type Telemetry } from './services/telemetry.js';
import { fastifyTrustProxy, type TrustProxy } from './trust-proxy.js';

export type { Store } from './db/store.js';
export { openSqliteStore } from './db/sqlite/store.js';

export interface AppOptions {
  store: Store;
  jwtSecret: string;
  bcryptCost: number;
  /** Logins and registrations per client IP per minute. Default 10. */
  authRateLimit?: number;
  corsOrigins?: '*' | string[];
  lowStockThreshold?: number;
  /** A pino logger, or false for none. The app logs through a child that redacts secrets (log-safety.ts). */
  logger?: Logger | false;
  /** Injectable for tests (token expiry, idempotency windows). Default: the system clock. */
  clock?: () => Date;
  /** Check every response against its schema before sending (tests). Default false. */
  validateResponses?: boolean;
  /** How long idempotency keys are kept, and when an unfinished claim counts as abandoned. */
  idempotency?: { ttlMs: number; staleMs: number };
  /**
   * Peers whose X-Forwarded-For is believed (see trust-proxy.ts). Default false: the client is the
   * socket's address, for rate limits, logs and the audit log alike.
   */
  trustProxy?: TrustProxy;
  /** Where counters go (the Prometheus registry of plugins/metrics.ts). Default: nowhere. */
  telemetry?: Telemetry;
  /**
   * Serve Prometheus metrics at GET /metrics, fed by the app's own telemetry (which replaces
   * `telemetry`); with `token`, only to `Authorization: Bearer <token>`. Default false.
   */
  metrics?: MetricsOptions | false;
  /** The catalog cache and rate limit counts shared by all instances (SHOP_REDIS_URL). Default: none. */
  cache?: SharedCache;
  /** Close the store when the app closes. Default true. */
  closeStore?: boolean;
}

export const API_PREFIX = '/api/v1';
export const BODY_LIMIT = 1024 * 1024;
const VERSION = '0.1.0';

/** Build the whole HTTP app on a given store; tests call `inject()` on it, the CLI calls `listen()`. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; naming the wider type keeps the instance's generics plain.
  const loggerInstance: FastifyBaseLogger | undefined = options.logger ? safeLogger(options.logger) : undefined;
  const app: FastifyInstance = Fastify({
    ...(loggerInstance ? { loggerInstance, childLoggerFactory: lazyRequestLogger } : { logger: false }),
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    trustProxy: fastifyTrustProxy(options.trustProxy ?? false),
    routerOptions: { ignoreTrailingSlash: true },
  });
  // The API speaks JSON only; a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(zodFastSerializer({ validate: options.validateResponses ?? false }));
  registerErrorHandling(app);

  const clock = options.clock ?? (() => new Date());
  const metrics = options.metrics ? createMetrics(options.store) : undefined;
  const telemetry = metrics?.telemetry ?? options.telemetry ?? noTelemetry;
  // serve.ts hands it to what runs beside the app (the outbox relay).
  app.decorate('telemetry', telemetry);
  await registerJwt(app, options.jwtSecret);
  await registerSecurity(app, {
    corsOrigins: options.corsOrigins ?? '*',
    rateLimitStore: options.cache && sharedRateLimitStore(options.cache.rateLimit),
  });
  if (metrics && options.metrics) await registerMetrics(app, metrics, options.metrics);
  await registerOpenApi(app, VERSION);

  const hasher = createPasswordHasher({ cost: options.bcryptCost });
  // The hash an unknown email is compared against is made on first use; make it now, so that the first
  // such login does not take a hash longer than a login for a real account (and give that away).
  hasher.verifyDummy('').catch(() => {});
  const services = createServices({
    store: options.store,
    hasher,
    clock,
    signAccessToken: accessTokenSigner(app, clock),
    accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlMs: 30 * 24 * 60 * 60 * 1000,
    idempotency: options.idempotency ?? { ttlMs: 24 * 60 * 60 * 1000, staleMs: 60 * 1000 },
    lowStockThreshold: options.lowStockThreshold ?? 5,
    telemetry,
    catalogCache: options.cache?.catalog,
  });
  const deps: RouteDeps = {
    services,
    ...authHooks(services, accessTokenVerifier(app)),
    authRateLimit: options.authRateLimit ?? 10,
    memo: options.store.memo,
    catalogCache: options.cache?.catalog,
    telemetry,
  };
  await app.register(healthRoutes, deps);
  await app.register(
    async (api) => {
      api.addHook('onRequest', noStoreUnlessPublic);
      for (const routes of [
        healthRoutes,
        authRoutes,
        productRoutes,
        cartRoutes,
        orderRoutes,
        adminRoutes,
        reportRoutes,
        couponRoutes,
      ]) {
        await api.register(routes, deps);
      }
    },
    { prefix: API_PREFIX },
  );
  if (options.closeStore ?? true) app.addHook('onClose', () => options.store.close());
  return app;
}
