import fastifyCors from '@fastify/cors';
import fastifyRateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's answers are the same for everyone and hold nothing personal: they may be cached. */
    publicAnswer?: boolean;
  }
}

/**
 * API answers carry tokens or personal data (ASVS 8.2.1) unless their route says otherwise: nothing
 * may keep a copy, errors included (a 401 tells whether an account exists). `no-store` alone
 * suffices for HTTP/1.1 caches; `Pragma: no-cache` only ever meant something in requests.
 */
export const noStoreUnlessPublic: onRequestHookHandler = (request, reply, done) => {
  if (request.routeOptions.config.publicAnswer !== true) reply.header('cache-control', 'no-store');
  done();
};

export interface SecurityOptions {
  corsOrigins: '*' | string[];
  /** Where the rate limit counts (cache/rate-limit-store.ts: shared by all instances); default this process. */
  rateLimitStore?: FastifyRateLimitStoreCtor | undefined;
}

const HELMET: Readonly<HelmetOptions> = {
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
};

/** What helmet does to every response, recorded once: the headers it sets, in order, and the ones it removes. */
interface HeaderPlan {
  set: [name: string, value: string][];
  remove: string[];
}

/**
 * Run helmet's middleware once against a recording response. Our helmet options
 * hold no per-request values (no nonces, no directive functions), so every
 * response gets exactly these headers; computing them per request re-parsed the
 * CSP directives each time.
 */
export function helmetHeaders(options: Readonly<HelmetOptions> = HELMET): HeaderPlan {
  const plan: HeaderPlan = { set: [], remove: [] };
  const recorder = {
    setHeader(name: string, value: unknown) {
      plan.set.push([name, String(value)]);
      return recorder;
    },
    removeHeader(name: string) {
      plan.remove.push(name);
    },
  };
  let finished = false;
  helmet(options)(
    {} as Parameters<ReturnType<typeof helmet>>[0],
    recorder as unknown as Parameters<ReturnType<typeof helmet>>[1],
    (error?: unknown) => {
      if (error) throw error instanceof Error ? error : new Error('helmet failed', { cause: error });
      finished = true;
    },
  );
  if (!finished) throw new Error('helmet did not finish synchronously');
  return plan;
}

/**
 * Security headers everywhere, CORS for browser storefronts (bearer tokens,
 * no cookies, so no credentials), and rate limiting only where routes opt in
 * (login and registration), counted per client IP in this process, or in the
 * store given (shared by all instances).
 */
export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const { set, remove } = helmetHeaders();
  const names = set.map(([name]) => name.toLowerCase());
  const values = set.map(([, value]) => value);
  // One hook for the headers every response carries: they come first, and a route may still replace one
  // (the /docs CSP). Then the request id, which clients quote. Kept with Fastify's own headers rather than
  // set on the raw response as helmet does: a response whose headers are all Fastify's is written by
  // writeHead in one pass, while one raw header sends every header through setHeader (3 µs a response).
  app.addHook('onRequest', (request, reply, done) => {
    for (const name of remove) reply.raw.removeHeader(name);
    for (let i = 0; i < names.length; i++) reply.header(names[i]!, values[i]);
    reply.header('x-request-id', request.id);
    done();
  });
  await app.register(fastifyCors, {
    origin: options.corsOrigins === '*' ? '*' : options.corsOrigins,
    // Joined once here rather than by the plugin on every request; the header values are the same.
    methods: 'GET, POST, PATCH, DELETE',
    allowedHeaders: 'Authorization, Content-Type, Idempotency-Key',
    exposedHeaders: 'Idempotent-Replayed, Retry-After, X-Request-Id',
  });
  await app.register(fastifyRateLimit, {
    global: false,
    ...(options.rateLimitStore ? { store: options.rateLimitStore } : {}),
  });
}
