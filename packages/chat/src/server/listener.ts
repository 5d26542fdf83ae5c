import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import type { ChatServer } from './chat-server.js';

export interface Listener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A plain TCP listener feeding the chat server. A TLS listener would sit beside it. */
export async function listenTcp(chat: ChatServer, options: { host: string; port: number }): Promise<Listener> {
  const server: Server = createServer({ noDelay: true }, (socket) => chat.accept(socket));
  server.listen({ host: options.host, port: options.port, backlog: 1024 });
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error as Error)),
  ]);
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
