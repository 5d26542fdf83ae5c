import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, ValidationError } from '@quartet/core/errors';
import { DEFAULT_BCRYPT_COST } from '@quartet/core/password';
import { dataDir } from '@quartet/core/paths';
import { parseWith } from '@quartet/core/validation';
import { z } from 'zod';
import { isValidChannel, isValidNick } from './protocol/casemap.js';
import { DEFAULT_LIMITS, type Limits } from './server/limits.js';
import { parseOperFile } from './server/opers.js';
import { parseOriginList, type OriginPolicy } from './server/origin.js';

/**
 * The one place that reads flags, environment and files. Both bins resolve
 * their configuration here, validated, before anything starts.
 */
type Env = Readonly<Record<string, string | undefined>>;

const PORT_RANGE = 'must be a whole number from 0 to 65535';
const port = z.coerce.number(PORT_RANGE).int(PORT_RANGE).min(0, PORT_RANGE).max(65535, PORT_RANGE);
const POSITIVE = 'must be a whole number of at least 1';
const positive = () => z.coerce.number(POSITIVE).int(POSITIVE).min(1, POSITIVE);
const optionalMs = z.coerce.number().int().min(1).optional();
// One trailing parameter (PASS's password, the server description): it may hold spaces but not line breaks, and fits in a line.
const trailing = () =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[^\r\n\0]*$/, 'must not contain line breaks');
const serverPassword = trailing();

const serverFlags = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(6667),
  name: z
    .string()
    .regex(/^[A-Za-z0-9.-]+\.[A-Za-z0-9.-]+$/, 'must look like a host name, such as quartet.local')
    .default('quartet.local'),
  info: trailing().default('quartet chat'),
  motd: z.string().min(1).optional(),
  operFile: z.string().min(1).optional(),
  maxClients: positive().default(DEFAULT_LIMITS.maxClients),
  maxPerIp: positive().default(DEFAULT_LIMITS.maxPerIp),
  data: z.string().min(1).optional(),
  persist: z.boolean().default(true),
  history: z.coerce.number('must be a whole number from 0 to 1000').int().min(0).max(1000).default(50),
  historyDays: positive().default(30),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  tlsPort: port.default(6697),
  tlsOnly: z.boolean().default(false),
  redis: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379')
    .optional(),
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores')
    .optional(),
  redisPrefix: z.string().min(1).max(100).default('quartet:chat:'),
  nickTtl: z.coerce.number('must be a whole number of milliseconds, at least 300').int().min(300).default(30_000),
  password: serverPassword.optional(),
  wsPort: port.optional(),
  wsHost: z.string().min(1).optional(),
  wsOrigins: z
    .string()
    .transform((text, ctx) => {
      const policy = parseOriginList(text);
      if (typeof policy === 'object') return policy;
      ctx.addIssue({ code: 'custom', message: policy });
      return z.NEVER;
    })
    .optional(),
  web: z.boolean().default(false),
  requireAccountForNick: z.boolean().default(false),
});

const serverEnv = z.object({
  CHAT_BCRYPT_COST: z.coerce.number().int().min(4).max(31).default(DEFAULT_BCRYPT_COST),
  // Tests shorten these to watch timeouts happen in milliseconds.
  CHAT_REGISTRATION_TIMEOUT_MS: optionalMs,
  CHAT_PING_AFTER_MS: optionalMs,
  CHAT_PING_TIMEOUT_MS: optionalMs,
  CHAT_SERVER_PASSWORD: serverPassword.optional(),
});

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly name: string;
  /** The server description (--info). */
  readonly info: string;
  readonly motd: readonly string[] | undefined;
  readonly opers: ReadonlyMap<string, string>;
  readonly limits: Partial<Limits>;
  readonly bcryptCost: number;
  /** The SQLite file, or ':memory:' with --no-persist. */
  readonly dataFile: string;
  readonly history: { readonly limit: number; readonly retentionMs: number };
  readonly tls: { readonly cert: Buffer; readonly key: Buffer; readonly port: number } | undefined;
  /** No plain listener: --tls-only. */
  readonly plain: boolean;
  readonly redis: RedisConfig | undefined;
  /** The connection password (PASS) every client must give: --password, else CHAT_SERVER_PASSWORD. */
  readonly password: string | undefined;
  /** IRC over WebSocket (--ws-port); wss:// when `tls` is set. */
  readonly websocket: WebSocketConfig | undefined;
  /** --require-account-for-nick: a nick an account owns is refused to everyone else. */
  readonly requireAccountForNick: boolean;
}

export interface WebSocketConfig {
  readonly host: string;
  readonly port: number;
  readonly origins: OriginPolicy;
  /** Serve the web client at `/` on this port (--web). */
  readonly web: boolean;
}

export interface RedisConfig {
  readonly url: string;
  /** This server's name in the network; unique per server. */
  readonly nodeId: string;
  /** Every key and channel starts with it, so several networks (or test runs) share one Redis. */
  readonly prefix: string;
  /** How long a nick claim lives without a heartbeat: a crashed server's nicks are free after it. */
  readonly nickTtlMs: number;
}

export function loadServerConfig(flags: Record<string, unknown>, env: Env = process.env): ServerConfig {
  const f = parseWith(serverFlags, flags);
  const e = parseWith(serverEnv, pickEnv(env, serverEnv.shape));
  const limits: Partial<Limits> = {
    maxClients: f.maxClients,
    maxPerIp: f.maxPerIp,
    ...(e.CHAT_REGISTRATION_TIMEOUT_MS && { registrationTimeoutMs: e.CHAT_REGISTRATION_TIMEOUT_MS }),
    ...(e.CHAT_PING_AFTER_MS && { pingAfterMs: e.CHAT_PING_AFTER_MS }),
    ...(e.CHAT_PING_TIMEOUT_MS && { pingTimeoutMs: e.CHAT_PING_TIMEOUT_MS }),
  };
  return {
    host: f.host,
    port: f.port,
    name: f.name,
    info: f.info,
    motd:
      f.motd === undefined
        ? undefined
        : readText(f.motd, 'MOTD file')
            .replace(/\r?\n$/, '')
            .split(/\r?\n/),
    opers: f.operFile === undefined ? new Map() : parseOperFile(readText(f.operFile, 'oper file'), f.operFile),
    limits,
    bcryptCost: e.CHAT_BCRYPT_COST,
    dataFile: f.persist ? (f.data ?? join(dataDir('chat', env), 'chat.db')) : ':memory:',
    history: { limit: f.history, retentionMs: f.historyDays * 86_400_000 },
    ...tlsConfig(f),
    password: f.password ?? e.CHAT_SERVER_PASSWORD,
    websocket: websocketConfig(f),
    requireAccountForNick: f.requireAccountForNick,
    redis:
      f.redis === undefined
        ? undefined
        : {
            url: f.redis,
            nodeId: f.nodeId ?? `${hostname()}-${process.pid}`,
            prefix: f.redisPrefix,
            nickTtlMs: f.nickTtl,
          },
  };
}

function websocketConfig(f: z.infer<typeof serverFlags>): WebSocketConfig | undefined {
  if (f.wsPort === undefined) {
    if (f.wsHost !== undefined || f.wsOrigins !== undefined)
      throw new ValidationError('--ws-host and --ws-origins need --ws-port');
    if (f.web) throw new ValidationError('--web needs --ws-port: the web client is served on the WebSocket port');
    return undefined;
  }
  // Default: only pages served from the host the browser connected to (see origin.ts).
  return { host: f.wsHost ?? f.host, port: f.wsPort, origins: f.wsOrigins ?? { kind: 'same-host' }, web: f.web };
}

function tlsConfig(f: z.infer<typeof serverFlags>): Pick<ServerConfig, 'tls' | 'plain'> {
  if ((f.tlsCert === undefined) !== (f.tlsKey === undefined)) {
    throw new ValidationError('--tls-cert and --tls-key go together');
  }
  if (f.tlsCert === undefined || f.tlsKey === undefined) {
    if (f.tlsOnly) throw new ValidationError('--tls-only needs --tls-cert and --tls-key');
    return { tls: undefined, plain: true };
  }
  const cert = Buffer.from(readText(f.tlsCert, 'TLS certificate'));
  const key = Buffer.from(readText(f.tlsKey, 'TLS key'));
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ValidationError(`TLS certificate ${f.tlsCert} is not a PEM certificate`);
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString())) {
    throw new ValidationError(`TLS key ${f.tlsKey} is not a PEM private key`);
  }
  return { tls: { cert, key, port: f.tlsPort }, plain: !f.tlsOnly };
}

/** The chat database for commands that only open it (`oper add`): --data, else the server's default. */
export function loadDataFile(flags: Record<string, unknown>, env: Env = process.env): string {
  const f = parseWith(z.object({ data: z.string().min(1).optional() }), flags);
  return f.data ?? join(dataDir('chat', env), 'chat.db');
}

export function loadBcryptCost(env: Env = process.env): number {
  return parseWith(serverEnv, pickEnv(env, serverEnv.shape)).CHAT_BCRYPT_COST;
}

const clientFlags = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.optional(),
  nick: z
    .string()
    .refine(isValidNick, 'must be 1–30 letters, digits or [ ] \\ ` _ ^ { | } -, not starting with a digit or -')
    .optional(),
  channel: z
    .string()
    .transform((name) => (name.startsWith('#') ? name : `#${name}`))
    .refine(isValidChannel, 'must be # and up to 49 characters without spaces, commas or colons')
    .default('#lobby'),
  tls: z.boolean().default(false),
  ca: z.string().min(1).optional(),
  insecure: z.boolean().default(false),
});

export interface ClientConfig {
  readonly host: string;
  readonly port: number;
  readonly nick: string | undefined;
  readonly channel: string;
  /** Colours only on a terminal, and never when NO_COLOR is set (no-color.org). */
  readonly color: boolean;
  /** Connect over TLS; `ca` adds a trusted certificate, `verify: false` is --insecure. */
  readonly tls: { readonly ca: Buffer | undefined; readonly verify: boolean } | undefined;
}

export function loadClientConfig(flags: Record<string, unknown>, isTTY: boolean, env: Env = process.env): ClientConfig {
  const f = parseWith(clientFlags, flags);
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  if (!f.tls && (f.ca !== undefined || f.insecure)) throw new ValidationError('--ca and --insecure need --tls');
  const tls = f.tls
    ? { ca: f.ca === undefined ? undefined : Buffer.from(readText(f.ca, 'CA file')), verify: !f.insecure }
    : undefined;
  return {
    host: f.host,
    port: f.port ?? (f.tls ? 6697 : 6667),
    nick: f.nick,
    channel: f.channel,
    color: isTTY && !noColor,
    tls,
  };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`${what} ${path} does not exist`);
    throw new ValidationError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

function pickEnv(env: Env, shape: Record<string, unknown>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  return picked;
}
