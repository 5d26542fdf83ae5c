import { once } from 'node:events';
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { onTestFinished } from 'vitest';
import { WebSocket, type ClientOptions } from 'ws';
import { LineClient } from './helpers.js';

/** One WebSocket message as it arrived: the tests check frame types and that no CR LF travels. */
export interface Frame {
  readonly data: Buffer;
  readonly binary: boolean;
}

/** An IRC client over WebSocket: each line is one message, as the IRCv3 spec has it. */
export class WsClient extends LineClient {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;

  constructor(readonly ws: WebSocket) {
    super();
    ws.on('message', (data: Buffer, binary) => {
      this.frames.push({ data, binary });
      this.received([data.toString('utf8')]);
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      this.closeCode = code;
      this.ended();
    });
  }

  static async open(url: string, protocols: string[] = ['text.ircv3.net'], options: ClientOptions = {}) {
    const ws = new WebSocket(url, protocols, options);
    onTestFinished(() => ws.terminate());
    const client = new WsClient(ws);
    await Promise.race([
      once(ws, 'open'),
      once(ws, 'unexpected-response').then(([, response]) =>
        Promise.reject(new Error(`HTTP ${(response as IncomingMessage).statusCode}`)),
      ),
    ]);
    return client;
  }

  /** Connect and register; waits for the end of the welcome burst. */
  static async register(url: string, nick: string, protocols?: string[], options?: ClientOptions) {
    const client = await WsClient.open(url, protocols, options);
    client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick} Real`);
    await client.next(/ (376|422) /);
    return client;
  }

  /** Each line as one message, in the frame type the subprotocol calls for. */
  send(...lines: string[]): void {
    for (const line of lines) this.sendRaw(line);
  }

  sendRaw(data: string | Buffer, binary = this.ws.protocol === 'binary.ircv3.net'): void {
    this.ws.send(data, { binary });
  }
}

/** The server's answer to a WebSocket handshake (or to anything else) on that port, read without a client library. */
export async function handshake(
  port: number,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const req = request({
    port,
    host: '127.0.0.1',
    headers: {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...headers,
    },
  });
  req.end();
  return new Promise((resolve, reject) => {
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode!, headers: response.headers });
    });
    req.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode!, headers: response.headers });
    });
    req.on('error', reject);
  });
}
