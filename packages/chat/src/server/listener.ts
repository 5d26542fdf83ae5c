import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { ChatServer } from './chat-server.js';

export interface Listener {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A plain TCP listener feeding the chat server. */
export async function listenTcp(chat: ChatServer, options: { host: string; port: number }): Promise<Listener> {
  const server: Server = createServer({ noDelay: true }, (socket) => chat.accept(socket));
  return listen(server, options);
}

/**
 * A TLS listener beside (or instead of) the plain one. Sockets reach the chat
 * server only after the handshake, as ordinary duplex streams, so nothing past
 * this point knows or cares that the bytes are encrypted.
 */
export async function listenTls(
  chat: ChatServer,
  options: { host: string; port: number; cert: Buffer; key: Buffer },
): Promise<Listener> {
  const server = createTlsServer(
    { cert: options.cert, key: options.key, noDelay: true, handshakeTimeout: 10_000 },
    (socket) => chat.accept(socket),
  );
  // A failed handshake (a plain client on the TLS port, a scanner) concerns nobody but that socket.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  return listen(server, options);
}

/** Start listening and wait until the port is bound (or say why it cannot be). */
export async function listen(server: Server, options: { host: string; port: number }): Promise<Listener> {
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
