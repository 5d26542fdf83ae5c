/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any -- response bodies are untyped JSON; the assertions are the type check. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const ADMIN_PASSWORD = 'admin password 123';
export const JWT = 'e2e-secret-e2e-secret-e2e-secret-0123';

/** A temp data directory and database path for one test, removed afterwards. */
export function tempShop(): { dir: string; db: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'shop-api-e2e-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    db: join(dir, 'shop.db'),
    env: { SHOP_DATA_DIR: dir, SHOP_BCRYPT_COST: '4', SHOP_AUTH_RATE_LIMIT: '10000', LOG_LEVEL: 'warn' },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built bin to completion. */
export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

export interface Server {
  url: string;
  child: ChildProcess;
  /** Lines the server wrote to stderr (its log), as they arrive. */
  stderrLines: string[];
  onStderrLine: (predicate: (line: string) => boolean) => Promise<string>;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Start `shop-api serve --port 0` and wait for the line that announces its URL. */
export async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderrLines: string[] = [];
  const waiters: { predicate: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrLines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = /^shop-api listening on (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${stderrLines.join('\n')}`)));
  });
  const server: Server = {
    url,
    child,
    stderrLines,
    onStderrLine: (predicate) => new Promise((resolve) => waiters.push({ predicate, resolve })),
    stop: async () => {
      if (!child.killed && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  onTestFinished(async () => {
    await server.stop();
  });
  return server;
}

export async function call(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(url + path, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export async function login(url: string, email: string, password = 'shopper password'): Promise<string> {
  const { json } = await call(url, 'POST', '/api/v1/auth/login', { body: { email, password } });
  return (json as { accessToken: string }).accessToken;
}

/** `count` server processes on one new SQLite file with an administrator (admin@example.com), and its token. */
export async function sqliteShop(count: number) {
  const shop = tempShop();
  const env = { ...shop.env, SHOP_JWT_SECRET: JWT, SHOP_ADMIN_PASSWORD: ADMIN_PASSWORD };
  expect((await runCli(['admin', 'create', 'admin@example.com', '--db', shop.db], env)).code).toBe(0);
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) servers.push(await startServer(['--db', shop.db], env));
  const adminToken = await login(servers[0]!.url, 'admin@example.com', ADMIN_PASSWORD);
  return { ...shop, env, servers, urls: servers.map((s) => s.url), adminToken };
}
