import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { ClientSocket } from './connection.js';

/** The IRCv3 WebSocket subprotocols; undefined is a legacy client that asked for neither. */
export type IrcSubprotocol = 'text.ircv3.net' | 'binary.ircv3.net';

const CRLF = Buffer.from('\r\n');

/**
 * A WebSocket dressed as the byte stream a TCP client is, so that it goes through the same `ChatServer.accept`
 * (limits, flood control, bans, registration) as every other client. Each incoming message is one IRC line and
 * becomes `line\r\n`; outgoing bytes are cut at `\r\n` and each line is sent as one message, text or binary as
 * the subprotocol says (IRCv3 WebSocket: no CR LF in either direction).
 */
export class WebSocketStream extends Duplex implements ClientSocket {
  readonly remoteAddress: string | undefined;
  /** Outgoing bytes after the last CR LF: the SendQueue writes whole lines, but a stream must not assume it. */
  private partial: Buffer = Buffer.alloc(0);

  constructor(
    private readonly ws: WebSocket,
    /** The TCP socket under the WebSocket: the client's real address and its keepalive. */
    private readonly tcp: Socket,
    private readonly subprotocol: IrcSubprotocol | undefined,
  ) {
    super({ allowHalfOpen: false });
    this.remoteAddress = tcp.remoteAddress;
    // binaryType is 'nodebuffer' (the default): every message, fragmented or not, arrives as one Buffer.
    ws.on('message', (data) => this.receive(data as Buffer));
    // ws fails the connection itself on protocol errors (a text frame that is not UTF-8: close code 1007).
    ws.on('error', (error) => this.destroy(error));
    ws.on('close', () => this.destroy());
  }

  setNoDelay(noDelay?: boolean): this {
    this.tcp.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable?: boolean, initialDelay?: number): this {
    this.tcp.setKeepAlive(enable, initialDelay);
    return this;
  }

  private receive(data: Buffer): void {
    // Trailing CR LF is forbidden by the spec but harmless; tolerate it from older clients.
    let end = data.length;
    while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end -= 1;
    const line = data.subarray(0, end);
    // One message is one IRC line. A CR or LF inside would make two commands out of what a web page meant as
    // one text (a pasted message, say): drop the message rather than let it smuggle in a second command.
    if (line.includes(0x0a) || line.includes(0x0d)) return;
    this.push(Buffer.concat([line, CRLF]));
  }

  override _read(): void {
    // Messages are pushed as they arrive; a WebSocket has no way to ask the peer to wait, nor does a TCP client
    // that the Connection never pauses.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const bytes = this.partial.length === 0 ? chunk : Buffer.concat([this.partial, chunk]);
    const lines: Buffer[] = [];
    let start = 0;
    for (let end = bytes.indexOf(CRLF, start); end !== -1; end = bytes.indexOf(CRLF, start)) {
      if (end > start) lines.push(bytes.subarray(start, end));
      start = end + 2;
    }
    this.partial = bytes.subarray(start);
    if (lines.length === 0) return callback();
    // The callback waits for the last message to reach the kernel, so `writableLength` counts what the client has
    // not yet taken, as on a TCP socket, and the SendQueue limit drops a slow WebSocket reader like a slow TCP one.
    lines.forEach((line, index) => {
      const done = index === lines.length - 1 ? callback : undefined;
      // Text frames must be UTF-8 (the spec forbids relaying anything else in them): invalid bytes become U+FFFD.
      if (this.subprotocol === 'binary.ircv3.net') this.ws.send(line, { binary: true }, done);
      else this.ws.send(line.toString('utf8'), done);
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    // A normal close handshake; the stream is destroyed (and emits 'close') when it completes.
    this.ws.close(1000);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Cut without a handshake, as destroy() on a TCP socket does; a no-op once the WebSocket has closed.
    this.ws.terminate();
    callback(error);
  }
}
