import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createPasswordHasher } from '@quartet/core';
import { onTestFinished } from 'vitest';
import type { ChatStore } from '../src/db/chat-store.js';
import { ChatServer } from '../src/server/chat-server.js';
import { systemClock, type Clock } from '../src/timing/clock.js';
import type { Limits } from '../src/server/limits.js';
import { listenTcp } from '../src/server/listener.js';
import { createOperList } from '../src/server/opers.js';

export const hasher = createPasswordHasher({ cost: 4 });

export interface TestServer {
  readonly port: number;
  readonly chat: ChatServer;
  /** Parsed pino lines written so far. */
  readonly logs: () => Record<string, unknown>[];
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chat-test-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An in-process server on a free port, with its logs in a temp file; stopped when the test ends. */
export async function startServer(
  options: {
    limits?: Partial<Limits>;
    opers?: Record<string, string>;
    motd?: string[];
    store?: ChatStore;
    history?: { limit: number; retentionMs: number };
    clock?: Clock;
    password?: string;
    description?: string;
  } = {},
): Promise<TestServer> {
  const logFile = join(tempDir(), 'server.log');
  const chat = new ChatServer({
    info: {
      name: 'test.server',
      description: options.description ?? 'quartet chat',
      version: 'test-1',
      createdAt: new Date(0),
      motd: options.motd,
      lobby: '#lobby',
      password: options.password,
    },
    opers: createOperList(new Map(Object.entries(options.opers ?? {})), hasher, () =>
      (options.clock ?? systemClock).now(),
    ),
    log: createLogger({ name: 'chat-server', destination: logFile, env: { LOG_LEVEL: 'info' } }),
    limits: { maxPerIp: 1000, ...options.limits },
    ...(options.store && { store: options.store }),
    ...(options.history && { history: options.history }),
    ...(options.clock && { clock: options.clock }),
  });
  const listener = await listenTcp(chat, { host: '127.0.0.1', port: 0 });
  onTestFinished(async () => {
    const closed = listener.close();
    await chat.shutdown();
    await closed;
  });
  return {
    port: listener.port,
    chat,
    logs: () =>
      readFileSync(logFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Register IRC clients with these nicks, each joined to the channel (in order). */
export async function joinedClients<const T extends readonly string[]>(
  port: number,
  channel: string,
  ...nicks: T
): Promise<{ -readonly [K in keyof T]: RawClient }> {
  const clients: RawClient[] = [];
  for (const nick of nicks) {
    const client = await RawClient.register(port, nick);
    await client.join(channel);
    clients.push(client);
  }
  return clients as { -readonly [K in keyof T]: RawClient };
}

type Matcher = string | RegExp | ((line: string) => boolean);

/** What every test client shares, whatever carries its lines: wait for lines, in order, and sync with PING. */
export abstract class LineClient {
  readonly lines: string[] = [];
  readonly closed: Promise<void>;
  private cursor = 0;
  private waiters: (() => void)[] = [];
  private markClosed!: () => void;
  isClosed = false;
  /** Answer every PING at once, as a live IRC client does. */
  autoPong = false;

  constructor() {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  abstract send(...lines: string[]): void;

  /** The next line (after those already taken) that matches; earlier lines are skipped. */
  async next(matcher: Matcher, timeoutMs = 5_000): Promise<string> {
    const test = toTest(matcher);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.lines.length) {
        const line = this.lines[this.cursor++]!;
        if (test(line)) return line;
      }
      if (this.isClosed) throw new Error(`closed while waiting for ${String(matcher)}; got:\n${this.lines.join('\n')}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${String(matcher)}; got:\n${this.lines.join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** JOIN and wait for the end of the NAMES reply. */
  async join(channel: string): Promise<void> {
    this.send(`JOIN ${channel}`);
    await this.next(/ 366 /);
  }

  /** Lines from now until one matches, inclusive. */
  async collectUntil(matcher: Matcher): Promise<string[]> {
    const start = this.cursor;
    await this.next(matcher);
    return this.lines.slice(start, this.cursor);
  }

  /** Sends a PING and waits for its PONG: everything the server sent before is now in `lines`. */
  async sync(): Promise<void> {
    const token = `sync${Math.random().toString(36).slice(2)}`;
    this.send(`PING ${token}`);
    await this.next((line) => line.endsWith(` :${token}`) || line.endsWith(` ${token}`));
  }

  /** Lines received but not yet taken by `next`. */
  unread(): string[] {
    return this.lines.slice(this.cursor);
  }

  protected received(lines: readonly string[]): void {
    this.lines.push(...lines);
    if (this.autoPong) for (const line of lines) if (line.startsWith('PING ')) this.send(`PONG ${line.slice(5)}`);
    this.wake();
  }

  protected ended(): void {
    this.isClosed = true;
    this.wake();
    this.markClosed();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** A client on a raw socket: send lines, wait for lines. */
export class RawClient extends LineClient {
  private buffer = '';

  constructor(readonly socket: Socket) {
    super();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split('\r\n');
      this.buffer = parts.pop() ?? '';
      this.received(parts);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.ended());
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    onTestFinished(() => {
      socket.destroy();
    });
    return client;
  }

  /** Connect and register as an IRC client; waits for the end of the welcome burst. */
  static async register(port: number, nick: string, user = nick): Promise<RawClient> {
    const client = await RawClient.connect(port);
    client.send(`NICK ${nick}`, `USER ${user} 0 * :${nick} Real`);
    await client.next(/ (376|422) /);
    return client;
  }

  send(...lines: string[]): void {
    this.socket.write(lines.map((line) => `${line}\r\n`).join(''));
  }
}

function toTest(matcher: Matcher): (line: string) => boolean {
  if (typeof matcher === 'string') return (line) => line === matcher;
  if (matcher instanceof RegExp) return (line) => matcher.test(line);
  return matcher;
}
