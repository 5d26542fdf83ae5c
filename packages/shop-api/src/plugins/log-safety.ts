import type { Logger } from '@quartet/core';

/**
 * Names whose values never reach a log line (pino redact paths): at the top of a logged object and
 * one level down, and the request headers that carry credentials. Nothing logs these today (Fastify's
 * request serializer has no headers or body); this keeps it so when someone adds a field.
 */
const SECRET_NAMES = ['password', 'passwordHash', 'refreshToken', 'accessToken', 'token', 'email', 'authorization'];
export const REDACT_PATHS = [
  ...SECRET_NAMES,
  ...SECRET_NAMES.map((name) => `*.${name}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'req.body',
  'res.headers["set-cookie"]',
];

/** Members of a driver's error that hold no row values: kept. Others (detail, where, hint, params) are not. */
const SAFE_MEMBERS = ['code', 'severity', 'constraint', 'table', 'column', 'routine', 'statusCode'];
const MAX_CAUSES = 5;

/**
 * The one logger shop-api writes with: `logger`, with secrets redacted and errors logged without
 * the values they carry. A failed query's DrizzleQueryError puts every parameter of the statement in
 * its message and stack (a password hash and an email for a user INSERT), and PostgreSQL's `detail`
 * quotes the offending key ("Key (email)=(ann@example.com) already exists").
 */
export function safeLogger(logger: Logger): Logger {
  return logger.child({}, { redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: { err: safeError } });
}

/** An error as a log line may show it: type, message, stack, code, and its causes, without query parameters. */
export function safeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const { message, stack } = withoutParameters(error);
  const shown: Record<string, unknown> = { type: error.constructor.name || error.name, message, stack };
  for (const name of SAFE_MEMBERS) {
    const value = (error as unknown as Record<string, unknown>)[name];
    if (typeof value === 'string' || typeof value === 'number') shown[name] = value;
  }
  if (error.cause !== undefined && depth < MAX_CAUSES) shown['cause'] = safeError(error.cause, depth + 1);
  return shown;
}

/** drizzle's "Failed query: <sql>\nparams: <values>", with the values counted instead of shown. */
function withoutParameters(error: Error): { message: string; stack: string | undefined } {
  const { query, params } = error as Error & { query?: unknown; params?: unknown };
  if (typeof query !== 'string' || !Array.isArray(params)) return { message: error.message, stack: error.stack };
  const message = `Failed query: ${query}\nparams: ${params.length} value(s), not logged`;
  const at = error.stack?.indexOf(error.message) ?? -1;
  // A stack that does not start with the message is dropped rather than searched for the values.
  const stack =
    error.stack === undefined || at < 0
      ? undefined
      : error.stack.slice(0, at) + message + error.stack.slice(at + error.message.length);
  return { message, stack };
}
