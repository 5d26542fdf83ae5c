import { createLogger, createPasswordHasher } from '@quartet/core';
import type { ServerConfig } from '../config.js';
import { ChatServer } from '../server/chat-server.js';
import { listenTcp } from '../server/listener.js';
import { createOperList } from '../server/opers.js';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  /** Stop listening, send every client `ERROR :Server shutting down`, wait for them to go. */
  stop(): Promise<void>;
}

const VERSION = 'quartet-chat-0.1.0';

export async function serve(config: ServerConfig): Promise<RunningServer> {
  const log = createLogger({ name: 'chat-server' });
  const chat = new ChatServer({
    info: { name: config.name, version: VERSION, createdAt: new Date(), motd: config.motd, lobby: '#lobby' },
    opers: createOperList(config.opers, createPasswordHasher({ cost: config.bcryptCost })),
    log,
    limits: config.limits,
  });
  const listener = await listenTcp(chat, { host: config.host, port: config.port });
  log.info({ event: 'listening', host: listener.host, port: listener.port }, 'listening');
  return {
    host: listener.host,
    port: listener.port,
    async stop() {
      const closed = listener.close();
      await chat.shutdown();
      await closed;
      log.info({ event: 'stopped' }, 'stopped');
    },
  };
}
