import { createLogger } from '@quartet/core';
import { buildApp } from '../app.js';
import { connectRedisCache } from '../cache/redis.js';
import type { ShopConfig } from '../config.js';
import { openStore } from '../db/open.js';
import { resolveJwtSecret } from '../jwt-secret.js';
import { startOutboxRelay } from '../mail/pipeline.js';

export interface ServeOptions {
  host: string;
  port: number;
}

export interface RunningServer {
  url: string;
  /** Notices from opening the database, for the entry point to print. */
  warnings: readonly string[];
  /** Stop accepting connections, let in-flight requests finish, then close the database. */
  close: () => Promise<void>;
}

export async function serve(config: ShopConfig, options: ServeOptions): Promise<RunningServer> {
  const { secret: jwtSecret, warnings: secretWarnings } = resolveJwtSecret(config.jwtSecret, config.dataDir);
  const store = await openStore(config.database);
  const logger = createLogger({ name: 'shop-api', defaultLevel: config.logLevel, env: {} });
  if (config.database.dialect === 'postgres' && config.jwtSecret === undefined) {
    // Instances behind one load balancer must verify each other's tokens; a generated secret is per data directory.
    logger.warn('SHOP_JWT_SECRET is not set: this instance signs tokens with its own generated secret');
  }
  const cache = config.redisUrl === undefined ? undefined : connectRedisCache(config.redisUrl, { log: logger });
  const app = await buildApp({
    ...(cache ? { cache } : {}),
    store,
    jwtSecret,
    bcryptCost: config.bcryptCost,
    authRateLimit: config.authRateLimit,
    corsOrigins: config.corsOrigins,
    lowStockThreshold: config.lowStockThreshold,
    trustProxy: config.trustProxy,
    logger,
    metrics: { token: config.metricsToken },
  });
  // Expired idempotency keys are swept hourly; unref so the timer never holds the process open.
  // A failed sweep (the database briefly away) is only logged: the next hour tries again.
  const sweep = setInterval(
    () => {
      store.idempotency
        .purgeExpired(new Date().toISOString())
        // app.log, not logger: its error serializer leaves out query parameters.
        .catch((error: unknown) => app.log.warn({ err: error }, 'idempotency key sweep failed'));
    },
    60 * 60 * 1000,
  );
  sweep.unref();
  if (cache) app.addHook('onClose', () => cache.close());
  app.addHook('onClose', () => clearInterval(sweep));
  // While closing, answers end their keep-alive connections: otherwise an idle client's
  // socket would hold the server open until its keep-alive timeout.
  let closing = false;
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  try {
    // The order e-mails: publish the outbox (to RabbitMQ, or straight to the mailer); closed before the store.
    const relay = await startOutboxRelay({
      config,
      settings: config.mail,
      store,
      telemetry: app.telemetry,
      log: app.log,
    });
    app.addHook('onClose', () => relay.close());
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    warnings: [...secretWarnings, ...store.warnings],
    close: () => {
      closing = true;
      return app.close();
    },
  };
}
