import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { tempDir } from './helpers.js';

export const SERVER = fileURLToPath(new URL('../dist/server-cli.js', import.meta.url));
export const CLIENT = fileURLToPath(new URL('../dist/client-cli.js', import.meta.url));
export const BASE_ENV = { ...process.env, LOG_LEVEL: 'silent', CHAT_BCRYPT_COST: '4', NO_COLOR: '1' };

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(bin: string, args: string[], input = '', env: NodeJS.ProcessEnv = BASE_ENV): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

export interface SpawnedServer {
  readonly child: ChildProcess;
  /** Each `chat-server listening …` line, in order. */
  readonly banner: string[];
  readonly port: number | undefined;
  readonly tlsPort: number | undefined;
  /** The WebSocket listener's port, with --ws-port. */
  readonly wsPort: number | undefined;
  readonly stderr: () => string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/**
 * Start the built server bin; resolves once it has printed a listening line
 * for each listener it was asked for. Killed (SIGKILL) when the test ends.
 */
export async function spawnServer(args: string[], env: NodeJS.ProcessEnv = BASE_ENV): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [SERVER, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTestFinished(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const tls = args.includes('--tls-cert');
  const expected =
    (tls && !args.includes('--tls-only') ? 2 : 1) +
    (args.includes('--ws-port') ? 1 : 0) +
    (args.includes('--web') ? 1 : 0);
  const banner: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    banner.push(line);
    if (banner.length === expected) break;
  }
  if (banner.length < expected) throw new Error(`server exited: ${stderr}`);
  const portOf = (re: RegExp) => banner.map((line) => re.exec(line)?.[1]).find(Boolean);
  const plain = portOf(/^chat-server listening on [\d.]+:(\d+)$/);
  const secure = portOf(/^chat-server listening with TLS on [\d.]+:(\d+)$/);
  const websocket = portOf(/^chat-server listening for WebSocket on wss?:\/\/[\d.]+:(\d+)$/);
  return {
    child,
    banner,
    port: plain === undefined ? undefined : Number(plain),
    tlsPort: secure === undefined ? undefined : Number(secure),
    wsPort: websocket === undefined ? undefined : Number(websocket),
    stderr: () => stderr,
    exited,
  };
}

/** A self-signed certificate for localhost and 127.0.0.1, made with the openssl binary. */
export function selfSignedCert(): { cert: string; key: string } {
  const dir = tempDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** Parsed pino lines from a spawned server's stderr. */
export function logEvents(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
