import { join } from 'node:path';
import { createLogger } from '@quartet/core';
import { onTestFinished } from 'vitest';
import type { ChatStore } from '../src/db/chat-store.js';
import { openMemoryStore } from '../src/db/memory-store.js';
import { foldCase } from '../src/protocol/casemap.js';
import type { AccountOptions } from '../src/server/accounts.js';
import { ChatServer } from '../src/server/chat-server.js';
import { listenTcp } from '../src/server/listener.js';
import { createOperList } from '../src/server/opers.js';
import { systemClock, type Clock, type TimerHandle } from '../src/timing/clock.js';
import { RawClient, hasher, tempDir } from './helpers.js';

/** A clock that stands still until the test moves it; its timers fire then, in order. */
export interface ManualClock extends Clock {
  /** Run the timers of `ms` from now that were set through this clock, and move `now` on. */
  advance(ms: number): void;
}

export function manualClock(): ManualClock {
  const start = Date.now();
  let offset = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const now = () => start + offset;
  return {
    now,
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.set(id, { at: now() + ms, callback });
      return id;
    },
    clearTimeout(handle: TimerHandle | undefined) {
      if (typeof handle === 'number') timers.delete(handle);
      else systemClock.clearTimeout(handle);
    },
    advance(ms) {
      offset += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now()) continue;
        timers.delete(id);
        timer.callback();
      }
    },
  };
}

/** An in-process server with accounts, unthrottled, on a free port; stopped when the test ends. */
export async function accountServer(
  options: { accounts?: Partial<AccountOptions>; clock?: Clock; store?: ChatStore } = {},
): Promise<{ port: number; chat: ChatServer; store: ChatStore }> {
  const store = options.store ?? openMemoryStore(50);
  const chat = new ChatServer({
    info: {
      name: 'test.server',
      description: 'quartet chat',
      version: 'test-1',
      createdAt: new Date(0),
      motd: undefined,
      lobby: '#lobby',
    },
    opers: createOperList(new Map(), hasher),
    log: createLogger({ name: 'chat-server', destination: join(tempDir(), 'server.log'), env: { LOG_LEVEL: 'info' } }),
    limits: { maxPerIp: 1000, floodBurst: 10_000, floodPerSecond: 10_000, floodQueueMax: 10_000 },
    hasher,
    ...(options.accounts && { accounts: options.accounts }),
    ...(options.clock && { clock: options.clock }),
    store,
  });
  const listener = await listenTcp(chat, { host: '127.0.0.1', port: 0 });
  onTestFinished(async () => {
    const closed = listener.close();
    await chat.shutdown();
    await closed;
  });
  return { port: listener.port, chat, store };
}

/** An account put straight into the store, as if registered earlier. */
export async function seedAccount(store: ChatStore, name: string, password: string, oper = false): Promise<void> {
  const passwordHash = await hasher.hash(password);
  store.accounts.create({
    name,
    nameKey: foldCase(name),
    passwordHash,
    email: null,
    verifyCode: null,
    oper,
    createdAt: 0,
  });
}

/** `authzid \0 authcid \0 password` in base64, as a PLAIN client sends it. */
export function plain(account: string, password: string, authzid = account): string {
  return Buffer.from(`${authzid}\0${account}\0${password}`).toString('base64');
}

/** Register an account from a fresh connection (REGISTER), then leave; resolves once the server has it. */
export async function registerAccount(port: number, name: string, password: string): Promise<void> {
  const client = await RawClient.register(port, `reg${Math.random().toString(36).slice(2, 8)}`);
  client.send(`REGISTER ${name} * :${password}`);
  await client.next(new RegExp(` REGISTER SUCCESS ${name} `));
  client.send('QUIT');
  await client.closed;
}

/** Connect, log in with SASL PLAIN during CAP negotiation, register; waits for the end of the welcome burst. */
export async function saslClient(port: number, nick: string, password: string, caps = ''): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.send(
    'CAP LS 302',
    `CAP REQ :sasl${caps === '' ? '' : ` ${caps}`}`,
    `NICK ${nick}`,
    `USER ${nick} 0 * :${nick} Real`,
  );
  await client.next(/ CAP \* ACK /);
  client.send('AUTHENTICATE PLAIN');
  await client.next('AUTHENTICATE +');
  client.send(`AUTHENTICATE ${plain(nick, password)}`);
  await client.next(/ 903 /);
  client.send('CAP END');
  await client.next(/ (376|422) /);
  return client;
}
