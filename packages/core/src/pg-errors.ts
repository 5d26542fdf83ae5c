/**
 * How to read PostgreSQL's errors, whatever the driver (node-postgres in shop-api, libpq through pg-native in bank):
 * both put the SQLSTATE in `code` and the constraint's name in `constraint`. Free of any driver import, so that
 * loading it costs a tool on SQLite nothing.
 */
import { UnavailableError } from './errors.js';

/** Errors that mean "the database is not reachable right now", as opposed to a bug or a refused statement. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01', // admin_shutdown: pg_terminate_backend, a server stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '57014', // query_canceled: statement_timeout
  '53300', // too_many_connections
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|connection timeout/i;

/** True when `error` (or an error it wraps) says the database cannot be reached now; class 08 is connection exceptions. */
export function isUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** Connection trouble becomes UnavailableError (503 in an API, exit 6 in a CLI); the rest passes unchanged. */
export function translateError(error: unknown): unknown {
  if (error instanceof UnavailableError || !isUnavailable(error)) return error;
  return new UnavailableError('the database is not answering', 'DATABASE_UNAVAILABLE', { cause: error });
}

/** The SQLSTATE of `error` or of the first error it wraps that has one (drizzle wraps the driver's error). */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code !== undefined) return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** True when `error` is a unique violation (23505) of the constraint named `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, constraint: name } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505') return name === constraint;
  }
  return false;
}

/** Serialization failure and deadlock detected: PostgreSQL aborted the transaction so that another could finish. */
export const RETRYABLE: ReadonlySet<string> = new Set(['40001', '40P01']);
