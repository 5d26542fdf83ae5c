import { connect } from 'node:net';
import { UnavailableError } from './errors.js';

/**
 * Tests that need PostgreSQL, Redis or RabbitMQ ask here first. An absent service means
 * "skip, and say why", unless QUARTET_REQUIRE_SERVICES=1 (CI), where it is a failure.
 */
export type ServiceName = 'postgres' | 'redis' | 'amqp';
type Env = Readonly<Record<string, string | undefined>>;

export const serviceDefaults: Readonly<
  Record<ServiceName, { envVar: string; url: string; label: string; port: number }>
> = {
  postgres: { envVar: 'DATABASE_URL', url: 'postgres://postgres@127.0.0.1:5432/test', label: 'PostgreSQL', port: 5432 },
  redis: { envVar: 'REDIS_URL', url: 'redis://127.0.0.1:6379', label: 'Redis', port: 6379 },
  amqp: { envVar: 'AMQP_URL', url: 'amqp://guest:guest@127.0.0.1:5672', label: 'RabbitMQ', port: 5672 },
};

export type ServiceStatus =
  | { name: ServiceName; url: string; available: true }
  | { name: ServiceName; url: string; available: false; reason: string };

export function serviceUrl(name: ServiceName, env: Env = process.env): string {
  return env[serviceDefaults[name].envVar] || serviceDefaults[name].url;
}

/** Is something listening at the service's address? Never throws. */
export async function probeService(
  name: ServiceName,
  options: { env?: Env; timeoutMs?: number } = {},
): Promise<ServiceStatus> {
  const url = serviceUrl(name, options.env);
  const { label, envVar } = serviceDefaults[name];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { name, url, available: false, reason: `skipped: ${envVar} is not a valid URL` };
  }
  const port = Number(parsed.port || serviceDefaults[name].port);
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const error = await tryConnect(host, port, options.timeoutMs ?? 1000);
  if (error === undefined) return { name, url, available: true };
  return {
    name,
    url,
    available: false,
    reason: `skipped: ${label} not reachable at ${redact(parsed)} (${error}); set ${envVar}`,
  };
}

/**
 * For tests: the service's status, or an UnavailableError when the run
 * requires services (QUARTET_REQUIRE_SERVICES=1) and this one is absent.
 */
export async function serviceForTests(name: ServiceName, env: Env = process.env): Promise<ServiceStatus> {
  const status = await probeService(name, { env });
  if (!status.available && env['QUARTET_REQUIRE_SERVICES'] === '1') {
    throw new UnavailableError(
      `QUARTET_REQUIRE_SERVICES=1 but ${status.reason.replace(/^skipped: /, '')}`,
      'SERVICE_REQUIRED',
    );
  }
  return status;
}

function tryConnect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: string | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
