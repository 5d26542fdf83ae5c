import { createLogger } from '@quartet/core/log';
import type { ServerConfig } from '../config.js';
import type { ChatStore } from '../db/chat-store.js';
import { MEMORY_HISTORY_MIN, openMemoryStore } from '../db/memory-store.js';
import { ChatServer } from '../server/chat-server.js';
import { lazyHasher } from '../server/lazy-hasher.js';
import { listenTcp, listenTls, type Listener } from '../server/listener.js';
import { createOperList } from '../server/opers.js';

export interface RunningServer {
  /** The plain listener, unless --tls-only. */
  readonly plain: Listener | undefined;
  readonly tls: Listener | undefined;
  /** IRC over WebSocket, with --ws-port. */
  readonly websocket: Listener | undefined;
  /** One-line notices for the entry point to print (the data file's mode was tightened). */
  readonly warnings: readonly string[];
  /** Stop listening, send every client `ERROR :Server shutting down`, wait for them to go. */
  stop(): Promise<void>;
}

const VERSION = 'quartet-chat-0.1.0';
const PRUNE_EVERY_MS = 3_600_000;

export async function serve(config: ServerConfig): Promise<RunningServer> {
  const log = createLogger({ name: 'chat-server' });
  const { store, warnings } = await openStore(config);
  // Each optional part is loaded only when it is used: idle RSS is part of what a chat server costs.
  const network =
    config.redis &&
    (await import('../network/redis-network.js')).createRedisNetwork({
      ...config.redis,
      serverName: config.name,
      log,
    });
  const hasher = lazyHasher(config.bcryptCost);
  const chat = new ChatServer({
    info: {
      name: config.name,
      description: config.info,
      version: VERSION,
      createdAt: new Date(),
      motd: config.motd,
      lobby: '#lobby',
      password: config.password,
    },
    opers: createOperList(config.opers, hasher),
    hasher,
    accounts: { requireForNick: config.requireAccountForNick },
    log,
    limits: config.limits,
    store,
    history: config.history,
    ...(network && { network }),
  });
  const prune = () => {
    const removed = chat.pruneHistory();
    if (removed > 0) log.info({ event: 'history_pruned', removed }, 'old history pruned');
  };
  prune();
  const pruner = setInterval(prune, PRUNE_EVERY_MS).unref();
  const listeners: Listener[] = [];
  try {
    const plain = config.plain ? await listenTcp(chat, { host: config.host, port: config.port }) : undefined;
    if (plain) listeners.push(plain);
    const tls = config.tls && (await listenTls(chat, { host: config.host, ...config.tls }));
    if (tls) listeners.push(tls);
    const websocket =
      config.websocket &&
      (await (
        await import('../server/websocket-listener.js')
      ).listenWebSocket(chat, {
        ...config.websocket,
        tls: config.tls,
        ...(config.websocket.web && {
          onRequest: (await import('../server/web-client.js')).createWebClientHandler(),
        }),
      }));
    if (websocket) listeners.push(websocket);
    for (const listener of listeners) {
      const kind = listener === websocket ? 'websocket' : listener === tls ? 'tls' : 'tcp';
      log.info(
        { event: 'listening', host: listener.host, port: listener.port, tls: listener === tls, kind },
        'listening',
      );
    }
    return {
      plain,
      tls,
      websocket,
      warnings,
      async stop() {
        clearInterval(pruner);
        const closed = Promise.all(listeners.map((listener) => listener.close()));
        await chat.shutdown();
        await closed;
        store.close();
        log.info({ event: 'stopped' }, 'stopped');
      },
    };
  } catch (error) {
    clearInterval(pruner);
    await Promise.all(listeners.map((listener) => listener.close()));
    await chat.shutdown();
    store.close();
    throw error;
  }
}

/** SQLite (with drizzle) only for a server that keeps its history, bans and mutes. */
async function openStore(config: ServerConfig): Promise<{ store: ChatStore; warnings: readonly string[] }> {
  if (config.dataFile === ':memory:') {
    // Deeper than the JOIN replay: CHATHISTORY clients scroll back page by page.
    return { store: openMemoryStore(Math.max(config.history.limit, MEMORY_HISTORY_MIN)), warnings: [] };
  }
  const { openChatStore } = await import('../db/chat-store.js');
  const store = openChatStore(config.dataFile);
  return { store, warnings: store.warnings };
}
