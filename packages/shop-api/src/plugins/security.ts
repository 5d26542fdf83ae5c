import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

export interface SecurityOptions {
  corsOrigins: '*' | string[];
}

/**
 * Security headers everywhere, CORS for browser storefronts (bearer tokens,
 * no cookies, so no credentials), and rate limiting only where routes opt in
 * (login and registration), counted per client IP in this process.
 */
export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    // The Swagger UI page needs its own scripts and styles; everything else is JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        // The server speaks plain HTTP (TLS, if any, ends in front of it): upgrading would break /docs on a LAN address.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifyCors, {
    origin: options.corsOrigins === '*' ? '*' : options.corsOrigins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Idempotent-Replayed', 'Retry-After', 'X-Request-Id'],
  });
  await app.register(fastifyRateLimit, { global: false });
}
