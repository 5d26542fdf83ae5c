import {
  DEFAULT_BCRYPT_COST,
  ValidationError,
  dataDir,
  parseWith,
  resolveLogLevel,
  type LogLevel,
} from '@quartet/core';
import { join } from 'node:path';
import { z } from 'zod';
import type { DatabaseTarget } from './db/open.js';
import { trustProxySchema, type TrustProxy } from './trust-proxy.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The environment shop-api reads. Only this file looks at process.env. */
const envSchema = z.object({
  SHOP_DB: z.string().min(1).optional(),
  DATABASE_URL: z.string().optional(),
  SHOP_PG_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  SHOP_PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).default(5000),
  SHOP_PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).default(15_000),
  SHOP_JWT_SECRET: z.string().min(32, 'SHOP_JWT_SECRET must be at least 32 characters').optional(),
  SHOP_BCRYPT_COST: z.coerce.number().int().min(4).max(31).default(DEFAULT_BCRYPT_COST),
  SHOP_ADMIN_PASSWORD: z.string().optional(),
  SHOP_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  SHOP_CORS_ORIGINS: z.string().default('*'),
  SHOP_LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(5),
  SHOP_TRUST_PROXY: trustProxySchema,
});

const levelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'log level must be one of fatal, error, warn, info, debug, trace, silent',
});

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'the database URL must look like postgres://user@host:5432/database');

export interface ShopConfig {
  dataDir: string;
  /** SQLite (the default: a file in the data directory) or PostgreSQL (DATABASE_URL / --database-url). */
  database: DatabaseTarget;
  /** Undefined: generate one into the data directory (see jwt-secret.ts). */
  jwtSecret: string | undefined;
  bcryptCost: number;
  adminPassword: string | undefined;
  /** Logins and registrations per IP per minute. */
  authRateLimit: number;
  corsOrigins: '*' | string[];
  lowStockThreshold: number;
  logLevel: LogLevel;
  /** Which peers' X-Forwarded-For names the client (rate limits, logs, the audit log). Default false: none. */
  trustProxy: TrustProxy;
}

export interface ConfigFlags {
  db?: string | undefined;
  databaseUrl?: string | undefined;
  logLevel?: string | undefined;
}

/** Flags win over the environment, which wins over defaults. */
export function loadConfig(flags: ConfigFlags = {}, env: Env = process.env): ShopConfig {
  const parsed = parseWith(envSchema, env);
  const dir = dataDir('shop', env);
  const logLevel = flags.logLevel === undefined ? resolveLogLevel(env, 'info') : parseWith(levelSchema, flags.logLevel);
  const origins = parsed.SHOP_CORS_ORIGINS.trim();
  if (flags.db !== undefined && flags.databaseUrl !== undefined) {
    throw new ValidationError('use either --db (SQLite) or --database-url (PostgreSQL), not both');
  }
  // A flag beats the environment: --db picks SQLite even when DATABASE_URL is set.
  const url = flags.db === undefined ? (flags.databaseUrl ?? (parsed.DATABASE_URL || undefined)) : undefined;
  const database: DatabaseTarget =
    url === undefined
      ? { dialect: 'sqlite', file: flags.db ?? parsed.SHOP_DB ?? join(dir, 'shop.db') }
      : {
          dialect: 'postgres',
          url: parseWith(postgresUrl, url),
          pool: {
            size: parsed.SHOP_PG_POOL_SIZE,
            connectTimeoutMs: parsed.SHOP_PG_CONNECT_TIMEOUT_MS,
            statementTimeoutMs: parsed.SHOP_PG_STATEMENT_TIMEOUT_MS,
          },
        };
  return {
    dataDir: dir,
    database,
    jwtSecret: parsed.SHOP_JWT_SECRET,
    bcryptCost: parsed.SHOP_BCRYPT_COST,
    adminPassword: parsed.SHOP_ADMIN_PASSWORD,
    authRateLimit: parsed.SHOP_AUTH_RATE_LIMIT,
    corsOrigins: origins === '*' ? '*' : origins.split(',').map((origin) => origin.trim()),
    lowStockThreshold: parsed.SHOP_LOW_STOCK_THRESHOLD,
    logLevel,
    trustProxy: parsed.SHOP_TRUST_PROXY,
  };
}
