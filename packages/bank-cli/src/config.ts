import { DEFAULT_BCRYPT_COST, dataDir, formatZodIssues, ValidationError } from '@quartet/core';
import { join } from 'node:path';
import { z } from 'zod';
import { currencyFromCode } from './domain/currency.js';
import type { Currency } from './domain/types.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface BankConfig {
  /** --db, then BANK_DB, then <data dir>/bank.db */
  dbFile: string;
  /** Fixed into a new database; an existing one keeps its own. */
  currency: Currency;
  bcryptCost: number;
  user: string | undefined;
  password: string | undefined;
  newPassword: string | undefined;
  /** A current two-factor code for scripted logins. */
  totp: string | undefined;
  busyTimeoutMs: number;
}

const nonEmpty = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

/** A whole number in an environment variable, or the default when unset or empty. */
function integer(min: number, max: number, fallback: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });
}

const envSchema = z.object({
  BANK_DB: nonEmpty,
  BANK_CURRENCY: nonEmpty,
  BANK_BCRYPT_COST: integer(4, 31, DEFAULT_BCRYPT_COST),
  BANK_BUSY_TIMEOUT_MS: integer(0, 600_000, 5000),
  BANK_USER: nonEmpty,
  // Passwords are taken verbatim: an empty one is still an (invalid) answer.
  BANK_PASSWORD: z.string().optional(),
  BANK_NEW_PASSWORD: z.string().optional(),
  BANK_TOTP: nonEmpty,
});

/** The one place bank reads the environment. Flags win over it. */
export function resolveConfig(
  flags: { db?: string | undefined; user?: string | undefined },
  env: Env = process.env,
): BankConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ValidationError(`bad environment: ${formatZodIssues(parsed.error).join('; ')}`, { code: 'BAD_ENV' });
  }
  const e = parsed.data;
  return {
    dbFile: flags.db ?? e.BANK_DB ?? join(dataDir('bank', env), 'bank.db'),
    currency: currencyFromCode((e.BANK_CURRENCY ?? 'USD').toUpperCase()),
    bcryptCost: e.BANK_BCRYPT_COST,
    user: flags.user ?? e.BANK_USER,
    password: e.BANK_PASSWORD,
    newPassword: e.BANK_NEW_PASSWORD,
    totp: e.BANK_TOTP,
    busyTimeoutMs: e.BANK_BUSY_TIMEOUT_MS,
  };
}
