import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ChatServer } from './chat-server.js';
import { listen, type Listener } from './listener.js';
import { originAllowed, type OriginPolicy } from './origin.js';
import { WebSocketStream, type IrcSubprotocol } from './websocket-stream.js';

/** What the port answers to a request that is not a WebSocket upgrade (a web client may be served here later). */
export type HttpHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface WebSocketOptions {
  readonly host: string;
  readonly port: number;
  readonly origins: OriginPolicy;
  /** The certificate and key of the TLS listener: the WebSocket listener is then wss://. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  readonly onRequest?: HttpHandler;
}

const SUBPROTOCOLS: readonly string[] = ['text.ircv3.net', 'binary.ircv3.net'] satisfies IrcSubprotocol[];
/**
 * Bigger messages fail the connection (close 1009) before they are buffered; smaller ones that are still over the
 * IRC line limit get 417 ERR_INPUTTOOLONG from the line reader, as on TCP.
 */
const MAX_MESSAGE_BYTES = 16 * 1024;

/** IRC over WebSocket (IRCv3 `text.ircv3.net` / `binary.ircv3.net`): each client reaches `chat.accept`. */
export async function listenWebSocket(chat: ChatServer, options: WebSocketOptions): Promise<Listener> {
  const onRequest = options.onRequest ?? upgradeRequired;
  const server = options.tls
    ? createHttpsServer({ ...options.tls, noDelay: true }, onRequest)
    : createServer({ noDelay: true }, onRequest);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // The spec: take the client's most preferred subprotocol we support. None agreed on: go on without the header
    // (the spec allows it) for legacy clients, who get text frames.
    handleProtocols: (offered) => [...offered].find((name) => SUBPROTOCOLS.includes(name)) ?? false,
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => undefined);
    if (request.headers.upgrade?.toLowerCase() !== 'websocket') return refuse(socket, 426);
    // Refused before the handshake: a page from a foreign origin never gets as far as the chat server.
    if (!originAllowed(options.origins, request.headers.origin, request.headers.host)) return refuse(socket, 403);
    wss.handleUpgrade(request, socket, head, (ws) => {
      chat.accept(new WebSocketStream(ws, socket, (ws.protocol || undefined) as IrcSubprotocol | undefined));
    });
  });
  // A failed TLS handshake concerns nobody but that socket.
  server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
  const listener = await listen(server, options);
  return {
    ...listener,
    close: async () => {
      // Open WebSockets belong to the chat server, which says goodbye to them; idle HTTP keep-alives do not.
      server.closeIdleConnections();
      await listener.close();
    },
  };
}

/** Plain HTTP on the WebSocket port: say what it is for. */
function upgradeRequired(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket', Connection: 'Upgrade' });
  response.end('Upgrade Required: this port speaks IRC over WebSocket (text.ircv3.net, binary.ircv3.net)\n');
}

function refuse(socket: Socket, status: 403 | 426): void {
  const body = `${STATUS_CODES[status]}\n`;
  const upgrade = status === 426 ? 'Upgrade: websocket\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${upgrade}Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
