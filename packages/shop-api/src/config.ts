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
import type { MailSettings } from './mail/settings.js';
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
  SHOP_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'SHOP_REDIS_URL must look like redis://host:6379')
    .optional(),
  SHOP_AMQP_URL: z
    .string()
    .regex(/^amqps?:\/\/\S+$/, 'SHOP_AMQP_URL must look like amqp://user:pass@host:5672')
    .optional(),
  SHOP_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'SHOP_SMTP_URL must look like smtp://host:587')
    .optional(),
  SHOP_MAIL_FROM: z.string().min(3).default('Shop <orders@shop.localhost>'),
  SHOP_METRICS_TOKEN: z.string().min(16, 'SHOP_METRICS_TOKEN must be at least 16 characters').optional(),
  // The mail pipeline's tuning knobs; tests want retries in milliseconds and queues of their own.
  SHOP_MAIL_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  SHOP_MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  SHOP_MAIL_POLL_MS: z.coerce.number().int().min(10).default(1000),
  SHOP_MAIL_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'SHOP_MAIL_QUEUE_PREFIX: letters, digits, _ . - only')
    .default('shop'),
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
  /** A Redis server for the catalog cache and shared rate limits (SHOP_REDIS_URL); none by default. */
  redisUrl: string | undefined;
  /** RabbitMQ for order e-mails (SHOP_AMQP_URL); without it, serve drains the outbox itself. */
  amqpUrl: string | undefined;
  /** Where e-mails go (SHOP_SMTP_URL); without it, .eml files in mailDir. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** `<data dir>/mail`: the embedded mailer's output. */
  mailDir: string;
  /** When set, GET /metrics wants `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  mail: MailSettings;
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
    redisUrl: parsed.SHOP_REDIS_URL,
    amqpUrl: parsed.SHOP_AMQP_URL,
    smtpUrl: parsed.SHOP_SMTP_URL,
    mailFrom: parsed.SHOP_MAIL_FROM,
    mailDir: join(dir, 'mail'),
    metricsToken: parsed.SHOP_METRICS_TOKEN,
    mail: {
      retryBaseMs: parsed.SHOP_MAIL_RETRY_BASE_MS,
      maxAttempts: parsed.SHOP_MAIL_MAX_ATTEMPTS,
      pollMs: parsed.SHOP_MAIL_POLL_MS,
      queuePrefix: parsed.SHOP_MAIL_QUEUE_PREFIX,
    },
  };
}
