import type { FastifyRequest } from 'fastify';
import type { Services } from '../services/index.js';

/** What every route module is given. */
export interface RouteDeps {
  services: Services;
  authenticate: (request: FastifyRequest) => Promise<void>;
  requireAdmin: (request: FastifyRequest) => Promise<void>;
  /** Per client IP, per minute, on login and registration. */
  authRateLimit: number;
}
