import { connect as netConnect, type Socket } from 'node:net';
import { foldCase } from '../protocol/casemap.js';
import { LineReader } from '../protocol/line-reader.js';
import { encodeLine } from '../protocol/line-bytes.js';
import { formatMessage, parseMessage, prefixNick, type Message } from '../protocol/message.js';
import { ERR, RPL } from '../protocol/numerics.js';
import { systemClock, type Clock, type TimerHandle } from '../timing/clock.js';
import { FloodGate } from '../timing/flood.js';

const WANTED_CAPS = ['batch', 'server-time'];

export interface SessionOptions {
  readonly host: string;
  readonly port: number;
  readonly nick: string;
  /** Joined after registration; after a reconnect, the channels we were in are joined instead. */
  readonly channel: string;
  /** Reconnect with backoff when the connection drops (not in batch mode). */
  readonly reconnect: boolean;
  readonly backoffMs?: { readonly initial: number; readonly max: number };
  readonly clock?: Clock;
  readonly connect?: (host: string, port: number) => Socket;
}

/** How to show a message: when it was sent, and whether it is replayed history rather than live. */
export interface MessageMeta {
  readonly time: Date;
  readonly history: boolean;
}

export interface SessionEvents {
  /** Every message from the server, after the session has updated its state. */
  message(message: Message, meta: MessageMeta): void;
  /** Something to tell the person: connecting, dropped, reconnecting. */
  status(text: string): void;
  /** The nick was refused during registration; return another. */
  nickRefused(nick: string, reason: string): Promise<string>;
  registered(nick: string): void;
  /** The connection is gone and will not come back (quit, or no reconnect). */
  closed(reason: string): void;
}

/**
 * One person's connection: registration, PING answers, which channels we are in,
 * reconnecting with backoff, and pacing our own output under the server's flood limit.
 */
export class ClientSession {
  nick: string;
  isOper = false;
  /** Joined channels, in the order joined; the current one is where plain lines go. */
  readonly channels: string[] = [];
  currentChannel: string | undefined;
  registered = false;

  private socket: Socket | undefined;
  /** Open IRCv3 batches of replayed history, by id. */
  private readonly historyBatches = new Set<string>();
  private quitting = false;
  private delay: number;
  private reconnectTimer: TimerHandle | undefined;
  private outbox: Buffer[] = [];
  private paceTimer: TimerHandle | undefined;
  private readonly clock: Clock;
  private readonly backoff: { initial: number; max: number };
  // Within the server's 10-line burst and 2 lines per second, so a paste never trips Excess Flood.
  private gate: FloodGate;

  constructor(
    private readonly options: SessionOptions,
    private readonly events: SessionEvents,
  ) {
    this.nick = options.nick;
    this.clock = options.clock ?? systemClock;
    this.backoff = options.backoffMs ?? { initial: 1_000, max: 30_000 };
    this.delay = this.backoff.initial;
    this.gate = new FloodGate(this.clock, 8, 2);
  }

  start(): void {
    const { host, port } = this.options;
    this.events.status(`Connecting to ${host}:${port}…`);
    const socket = this.options.connect ? this.options.connect(host, port) : netConnect(port, host);
    this.socket = socket;
    this.registered = false;
    this.gate = new FloodGate(this.clock, 8, 2);
    const reader = new LineReader(64 * 1024);
    let failure: string | undefined;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      // server-time and batch let the server mark replayed history; servers without CAP just ignore it.
      this.send({ command: 'CAP', params: ['LS', '302'] });
      this.send({ command: 'NICK', params: [this.nick] });
      this.send({ command: 'USER', params: [this.nick.slice(0, 10), '0', '*', this.nick] });
    });
    socket.on('data', (chunk: Buffer) => {
      for (const item of reader.push(chunk)) {
        if (!('line' in item)) continue;
        const message = parseMessage(item.line);
        if (message) void this.receive(message);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (failure = error.code ?? error.message));
    socket.on('close', () => this.onClose(socket, failure));
  }

  /** Queue a message; it goes out as soon as our own flood pacing allows. */
  send(message: Message): void {
    this.outbox.push(encodeLine(formatMessage(message, message.command === 'PRIVMSG' || message.command === 'QUIT')));
    this.pump();
  }

  /** Leave cleanly: QUIT, then wait for the server to close (or give up after 3 s). */
  async quit(reason: string): Promise<void> {
    this.quitting = true;
    this.clock.clearTimeout(this.reconnectTimer);
    const socket = this.socket;
    if (!socket || socket.destroyed || socket.connecting) {
      socket?.destroy();
      return;
    }
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // QUIT skips the pacing queue: the person wants out now.
    this.flushNow();
    socket.write(encodeLine(formatMessage({ command: 'QUIT', params: [reason] }, true)));
    const timer = setTimeout(() => socket.destroy(), 3_000);
    await closed;
    clearTimeout(timer);
  }

  isSelf(prefixOrNick: string | undefined): boolean {
    return foldCase(prefixNick(prefixOrNick)) === foldCase(this.nick);
  }

  private pump(): void {
    const socket = this.socket;
    if (!socket || socket.destroyed || socket.connecting) return;
    while (this.outbox.length > 0 && this.gate.tryTake()) socket.write(this.outbox.shift()!);
    if (this.outbox.length > 0 && this.paceTimer === undefined) {
      this.paceTimer = this.clock.setTimeout(() => {
        this.paceTimer = undefined;
        this.pump();
      }, this.gate.waitMs());
    }
  }

  private flushNow(): void {
    for (const line of this.outbox) this.socket?.write(line);
    this.outbox = [];
  }

  private async receive(message: Message): Promise<void> {
    const { command, params } = message;
    const self = this.isSelf(message.prefix);
    const meta = this.meta(message);
    switch (command) {
      case 'CAP':
        this.negotiate(params);
        break;
      case 'BATCH': {
        const id = params[0] ?? '';
        if (id.startsWith('+') && params[1] === 'chathistory') this.historyBatches.add(id.slice(1));
        if (id.startsWith('-')) this.historyBatches.delete(id.slice(1));
        break;
      }
      case 'PING':
        // Straight out, ahead of paced lines: a late PONG gets us dropped.
        this.socket?.write(encodeLine(formatMessage({ command: 'PONG', params: params.slice(0, 1) })));
        break;
      case RPL.WELCOME:
        this.nick = params[0] ?? this.nick;
        this.registered = true;
        this.delay = this.backoff.initial;
        this.events.registered(this.nick);
        for (const channel of this.channels.length > 0 ? this.channels.splice(0) : [this.options.channel]) {
          this.send({ command: 'JOIN', params: [channel] });
        }
        this.currentChannel = undefined;
        break;
      case ERR.UNKNOWNCOMMAND:
        // A server without capability negotiation: nothing for the person to see.
        if (params[1] === 'CAP') return;
        break;
      case ERR.NICKNAMEINUSE:
      case ERR.ERRONEUSNICKNAME:
        if (!this.registered) {
          this.events.message(message, meta);
          this.nick = await this.events.nickRefused(params[1] ?? this.nick, params[2] ?? '');
          this.send({ command: 'NICK', params: [this.nick] });
          return;
        }
        break;
      case 'JOIN':
        if (self && params[0] && !this.channels.includes(params[0])) {
          this.channels.push(params[0]);
          this.currentChannel = params[0];
        }
        break;
      case 'PART':
        if (self) this.leave(params[0]);
        break;
      case 'KICK':
        if (this.isSelf(params[1])) this.leave(params[0]);
        break;
      case 'NICK':
        if (self) this.nick = params[0] ?? this.nick;
        break;
      case RPL.YOUREOPER:
        this.isOper = true;
        break;
      case 'MODE':
        if (this.isSelf(params[0]) && params[1]?.startsWith('-') && params[1].includes('o')) this.isOper = false;
        break;
    }
    this.events.message(message, meta);
  }

  private meta(message: Message): MessageMeta {
    const stamp = message.tags?.['time'];
    const time = stamp === undefined ? new Date(this.clock.now()) : new Date(stamp);
    const batch = message.tags?.['batch'];
    return {
      time: Number.isNaN(time.getTime()) ? new Date(this.clock.now()) : time,
      history: batch !== undefined && this.historyBatches.has(batch),
    };
  }

  /** Ask for what the server offers of server-time and batch; end negotiation once answered. */
  private negotiate(params: readonly string[]): void {
    const sub = params[1];
    if (this.registered) return;
    if (sub === 'LS') {
      const offered = (params[params.length - 1] ?? '').split(' ').map((cap) => cap.split('=')[0]);
      const wanted = WANTED_CAPS.filter((cap) => offered.includes(cap));
      if (wanted.length > 0) this.send({ command: 'CAP', params: ['REQ', wanted.join(' ')] });
      else this.send({ command: 'CAP', params: ['END'] });
    } else if (sub === 'ACK' || sub === 'NAK') {
      this.send({ command: 'CAP', params: ['END'] });
    }
  }

  private leave(channel: string | undefined): void {
    const index = this.channels.findIndex((c) => foldCase(c) === foldCase(channel ?? ''));
    if (index !== -1) this.channels.splice(index, 1);
    if (foldCase(this.currentChannel ?? '') === foldCase(channel ?? '')) this.currentChannel = this.channels[0];
  }

  private onClose(socket: Socket, failure: string | undefined): void {
    if (socket !== this.socket) return;
    this.clock.clearTimeout(this.paceTimer);
    this.paceTimer = undefined;
    this.outbox = [];
    this.isOper = false;
    const reason = failure ? `connection failed: ${failure}` : 'connection closed';
    if (this.quitting || !this.options.reconnect) {
      this.events.closed(reason);
      return;
    }
    const wait = this.delay >= 1000 ? `${Math.round(this.delay / 1000)}s` : `${this.delay}ms`;
    this.events.status(`Disconnected (${reason}); reconnecting in ${wait}`);
    this.reconnectTimer = this.clock.setTimeout(() => this.start(), this.delay);
    this.delay = Math.min(this.delay * 2, this.backoff.max);
  }
}
