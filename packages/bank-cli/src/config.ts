import { ValidationError } from '@quartet/core/errors';
import { DEFAULT_BCRYPT_COST } from '@quartet/core/password';
import { dataDir } from '@quartet/core/paths';
import { join } from 'node:path';
import { parseCurrencyCode } from './domain/currency.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface BankConfig {
  /** --db, then BANK_DB, then <data dir>/bank.db */
  dbFile: string;
  /** --database-url, then BANK_DATABASE_URL: a PostgreSQL database instead of the file. */
  databaseUrl: string | undefined;
  /** ISO 4217, fixed into a new database; an existing one keeps its own. */
  currencyCode: string;
  bcryptCost: number;
  user: string | undefined;
  password: string | undefined;
  newPassword: string | undefined;
  /** A current two-factor code for scripted logins. */
  totp: string | undefined;
  busyTimeoutMs: number;
  /** BANK_SMTP_URL (smtp: or smtps:): notification e-mails are sent through it. Unset: no e-mail at all. */
  smtpUrl: string | undefined;
  /** BANK_MAIL_FROM, default bank@localhost. */
  mailFrom: string;
}

/**
 * Checked by hand rather than with zod: these are eight strings, and importing zod (hundreds of
 * files) would cost every command more start-up time than all the rest of `bank accounts`.
 */
function readEnv(env: Env) {
  const problems: string[] = [];
  const nonEmpty = (name: string) => (env[name] === '' ? undefined : env[name]);
  /** A whole number, or the default when unset or empty. */
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (/^\d+$/.test(value) && n >= min && n <= max) return n;
    problems.push(`${name}: must be a whole number from ${min} to ${max}, got "${value}"`);
    return fallback;
  };
  const values = {
    db: nonEmpty('BANK_DB'),
    databaseUrl: nonEmpty('BANK_DATABASE_URL'),
    currency: nonEmpty('BANK_CURRENCY'),
    bcryptCost: integer('BANK_BCRYPT_COST', 4, 31, DEFAULT_BCRYPT_COST),
    busyTimeoutMs: integer('BANK_BUSY_TIMEOUT_MS', 0, 600_000, 5000),
    user: nonEmpty('BANK_USER'),
    // Passwords are taken verbatim: an empty one is still an (invalid) answer.
    password: env['BANK_PASSWORD'],
    newPassword: env['BANK_NEW_PASSWORD'],
    totp: nonEmpty('BANK_TOTP'),
    smtpUrl: smtpUrl(nonEmpty('BANK_SMTP_URL'), problems),
    mailFrom: nonEmpty('BANK_MAIL_FROM') ?? 'bank@localhost',
  };
  // eslint-disable-next-line no-control-regex -- a header value must stay one line
  if (!/^[^\u0000-\u001f\u007f]*@[^\u0000-\u001f\u007f]*$/.test(values.mailFrom)) {
    problems.push('BANK_MAIL_FROM: must be one line with an @');
  }
  if (problems.length > 0) {
    throw new ValidationError(`bad environment: ${problems.join('; ')}`, { code: 'BAD_ENV' });
  }
  return values;
}

function smtpUrl(value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '') return value;
  problems.push('BANK_SMTP_URL: must be an smtp:// or smtps:// URL with a host');
  return undefined;
}

/** A postgres:// or postgresql:// URL with a host or a socket; the message never repeats it (it may hold a password). */
export function parseDatabaseUrl(value: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === 'postgres:' || url.protocol === 'postgresql:')) return value;
  throw new ValidationError(`${source}: must be a postgres:// URL`, { code: 'BAD_DATABASE_URL' });
}

/** The one place bank reads the environment. Flags win over it; a database URL wins over a file. */
export function resolveConfig(
  flags: { db?: string | undefined; user?: string | undefined; databaseUrl?: string | undefined },
  env: Env = process.env,
): BankConfig {
  const e = readEnv(env);
  const databaseUrl =
    flags.databaseUrl !== undefined
      ? parseDatabaseUrl(flags.databaseUrl, '--database-url')
      : e.databaseUrl === undefined
        ? undefined
        : parseDatabaseUrl(e.databaseUrl, 'BANK_DATABASE_URL');
  return {
    dbFile: flags.db ?? e.db ?? join(dataDir('bank', env), 'bank.db'),
    databaseUrl,
    currencyCode: parseCurrencyCode((e.currency ?? 'USD').toUpperCase()),
    bcryptCost: e.bcryptCost,
    user: flags.user ?? e.user,
    password: e.password,
    newPassword: e.newPassword,
    totp: e.totp,
    busyTimeoutMs: e.busyTimeoutMs,
    smtpUrl: e.smtpUrl,
    mailFrom: e.mailFrom,
  };
}
