import type { FastifyRequest } from 'fastify';
import type { CatalogCache } from '../cache/catalog-cache.js';
import type { ReadMemo } from '../db/store.js';
import type { Services } from '../services/index.js';
import type { Telemetry } from '../services/telemetry.js';

/** What every route module is given. */
export interface RouteDeps {
  services: Services;
  authenticate: (request: FastifyRequest) => Promise<void>;
  requireAdmin: (request: FastifyRequest) => Promise<void>;
  /** Per client IP, per minute, on login and registration. */
  authRateLimit: number;
  /** The store's memo of serialized catalog answers, when it has one. */
  memo?: ReadMemo | undefined;
  /** The catalog cache shared by all instances (SHOP_REDIS_URL), when configured. */
  catalogCache?: CatalogCache | undefined;
  telemetry: Telemetry;
}
