import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { hasher, tempDir, type LineClient } from './helpers.js';
import { BASE_ENV, logEvents, spawnServer, type SpawnedServer } from './processes.js';

/* Servers of a test network joined through Redis, each a chat-server process of its own. */

/** Nick claims expire this fast in tests, so that a lost server is noticed quickly. */
export const TTL_MS = 1_200;
let runs = 0;

/** A fresh key prefix per test, so runs and tests never see each other's nicks or events. */
export function prefix(): string {
  runs += 1;
  return `quartet-chat-test:${process.pid}:${Date.now()}:${runs}:`;
}

export /** An oper file with `boss`, password `hunter2`. */
async function operFile(): Promise<string> {
  const file = join(tempDir(), 'opers');
  writeFileSync(file, `boss:${await hasher.hash('hunter2')}\n`);
  return file;
}

/** A server of the network, waited for until it has joined (subscribed and announced itself); `extraArgs` are more flags. */
export async function node(
  url: string,
  id: string,
  keyPrefix: string,
  opers: string,
  extraArgs: readonly string[] = [],
): Promise<SpawnedServer & { port: number }> {
  const server = await spawnServer(
    [
      '--port',
      '0',
      '--no-persist',
      '--name',
      `${id}.quartet.test`,
      '--oper-file',
      opers,
      '--redis',
      url,
      '--node-id',
      id,
      '--redis-prefix',
      keyPrefix,
      '--nick-ttl',
      String(TTL_MS),
      ...extraArgs,
    ],
    { ...BASE_ENV, LOG_LEVEL: 'info' },
  );
  await waitForLog(server, (e) => e['event'] === 'redis_up');
  return { ...server, port: server.port! };
}

export function waitForLog(
  server: SpawnedServer,
  test: (event: Record<string, unknown>) => boolean,
  count = 1,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (logEvents(server.stderr()).filter(test).length < count) return;
      server.child.stderr?.off('data', check);
      resolve();
    };
    server.child.stderr?.on('data', check);
    server.child.once('exit', () => reject(new Error(`server exited:\n${server.stderr()}`)));
    check();
  });
}

/**
 * Ask again until the answer shows what other servers have told this one:
 * remote state arrives asynchronously, and there is no event to wait on for it.
 */
export async function eventually(client: LineClient, query: string, end: RegExp, wanted: RegExp): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    client.send(query);
    const lines = await client.collectUntil(end);
    if (lines.some((line) => wanted.test(line))) return lines;
    await delay(100);
  }
  throw new Error(`never saw ${String(wanted)} in answers to ${query}`);
}
