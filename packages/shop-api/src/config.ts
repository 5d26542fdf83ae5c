import { DEFAULT_BCRYPT_COST, dataDir, parseWith, resolveLogLevel, type LogLevel } from '@quartet/core';
import { join } from 'node:path';
import { z } from 'zod';

type Env = Readonly<Record<string, string | undefined>>;

/** The environment shop-api reads. Only this file looks at process.env. */
const envSchema = z.object({
  SHOP_DB: z.string().min(1).optional(),
  SHOP_JWT_SECRET: z.string().min(32, 'SHOP_JWT_SECRET must be at least 32 characters').optional(),
  SHOP_BCRYPT_COST: z.coerce.number().int().min(4).max(31).default(DEFAULT_BCRYPT_COST),
  SHOP_ADMIN_PASSWORD: z.string().optional(),
  SHOP_AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  SHOP_CORS_ORIGINS: z.string().default('*'),
  SHOP_LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(5),
});

const levelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'log level must be one of fatal, error, warn, info, debug, trace, silent',
});

export interface ShopConfig {
  dataDir: string;
  dbFile: string;
  /** Undefined: generate one into the data directory (see jwt-secret.ts). */
  jwtSecret: string | undefined;
  bcryptCost: number;
  adminPassword: string | undefined;
  /** Logins and registrations per IP per minute. */
  authRateLimit: number;
  corsOrigins: '*' | string[];
  lowStockThreshold: number;
  logLevel: LogLevel;
}

export interface ConfigFlags {
  db?: string | undefined;
  logLevel?: string | undefined;
}

/** Flags win over the environment, which wins over defaults. */
export function loadConfig(flags: ConfigFlags = {}, env: Env = process.env): ShopConfig {
  const parsed = parseWith(envSchema, env);
  const dir = dataDir('shop', env);
  const logLevel = flags.logLevel === undefined ? resolveLogLevel(env, 'info') : parseWith(levelSchema, flags.logLevel);
  const origins = parsed.SHOP_CORS_ORIGINS.trim();
  return {
    dataDir: dir,
    dbFile: flags.db ?? parsed.SHOP_DB ?? join(dir, 'shop.db'),
    jwtSecret: parsed.SHOP_JWT_SECRET,
    bcryptCost: parsed.SHOP_BCRYPT_COST,
    adminPassword: parsed.SHOP_ADMIN_PASSWORD,
    authRateLimit: parsed.SHOP_AUTH_RATE_LIMIT,
    corsOrigins: origins === '*' ? '*' : origins.split(',').map((origin) => origin.trim()),
    lowStockThreshold: parsed.SHOP_LOW_STOCK_THRESHOLD,
    logLevel,
  };
}
