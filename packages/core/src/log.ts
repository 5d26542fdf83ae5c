import { pino, type Logger, type Level } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = Level | 'silent';
const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggerOptions {
  name: string;
  /** Used when LOG_LEVEL is unset. */
  defaultLevel?: LogLevel;
  /**
   * Where lines go. A CLI's stdout is its output, so logs never go there:
   * `'stderr'` (the default, fd 2) or a file path, appended to.
   */
  destination?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = resolveLogLevel(options.env ?? process.env, options.defaultLevel ?? 'info');
  const target = options.destination ?? 'stderr';
  const stream =
    target === 'stderr'
      ? pino.destination({ fd: 2, sync: true })
      : pino.destination({ dest: target, mkdir: true, sync: true });
  return pino({ name: options.name, level }, stream);
}

/** LOG_LEVEL picks the level; an unknown value falls back to the default rather than crashing. */
export function resolveLogLevel(env: Readonly<Record<string, string | undefined>>, fallback: LogLevel): LogLevel {
  const wanted = env['LOG_LEVEL']?.trim().toLowerCase();
  return wanted && LEVELS.includes(wanted) ? (wanted as LogLevel) : fallback;
}
