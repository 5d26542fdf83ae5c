import type { Duplex } from 'node:stream';
import { LineReader } from '../protocol/line-reader.js';
import type { Clock, TimerHandle } from '../timing/clock.js';
import type { Limits } from './limits.js';
import { FloodGate } from '../timing/flood.js';
import { held } from './labels.js';
import type { Outgoing } from './outgoing.js';
import type { OutputScheduler } from './output-scheduler.js';
import { SendQueue } from './send-queue.js';

/** What a connection reports to the server. A handler may return a promise; later lines wait for it. */
export interface ConnectionEvents {
  line(connection: Connection, line: string): void | Promise<void>;
  tooLong(connection: Connection): void;
  /** The connection must go: the socket closed, a timeout passed, a limit was broken. */
  lost(connection: Connection, reason: string): void;
  ping(connection: Connection): void;
}

/**
 * What a Connection needs of its client's stream: a TCP or TLS socket, or a WebSocket dressed as one
 * (websocket-stream.ts).
 */
export interface ClientSocket extends Duplex {
  readonly remoteAddress: string | undefined;
  setNoDelay(noDelay?: boolean): this;
  setKeepAlive(enable?: boolean, initialDelay?: number): this;
}

export type ConnectionMode = 'pending' | 'irc' | 'plain';

let nextId = 1;

/** One client: its socket, its identity, its channels, its input and output queues and its timers. */
export class Connection {
  readonly id = nextId++;
  readonly ip: string;
  /** The host others see (`nick!user@host`, WHOIS, WHO): the address until an operator's CHGHOST changes it. */
  host: string;
  readonly connectedAt: number;
  mode: ConnectionMode = 'pending';
  nick: string | undefined;
  user: string | undefined;
  realname = '';
  /** The account logged in to (SASL, NickServ IDENTIFY, REGISTER), as registered. */
  account: string | undefined;
  /** What PASS gave (or the first plain-mode line, when the server has a password). */
  password: string | undefined;
  registered = false;
  /** Registration waits while a client negotiates capabilities (CAP LS until CAP END). */
  capNegotiating = false;
  /** IRCv3 capabilities the client asked for and got (`server-time`, `batch`). */
  readonly caps = new Set<string>();
  /** `caps.has('server-time')`, kept as a field: history replays read it per line. */
  serverTime = false;
  /** `lineForm(caps)` (outgoing.ts): which form of a line this reader gets, read once per recipient of every broadcast. */
  lineForm = 0;
  /** `caps.has('echo-message')`, kept as a field: it is read for every message the client sends. */
  echoMessage = false;
  isOper = false;
  invisible = false;
  /** IRCv3 bot mode (`MODE nick +B`): WHO and WHOIS say so. */
  bot = false;
  /** User mode +w: receives WALLOPS. */
  wallops = false;
  away: string | undefined;
  /** Plain mode: where lines without a leading `/` go. */
  currentChannel: string | undefined;
  lastActive: number;
  lastSpoke: number;
  /** Used by fan-out to visit each connection once per broadcast. */
  visitMark = 0;
  closed = false;

  private prefixCache: string | undefined;
  private readonly reader = new LineReader();
  private readonly flood: FloodGate;
  private inbox: string[] = [];
  private busy = false;
  private floodTimer: TimerHandle | undefined;
  private registrationTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private pingSentAt: number | undefined;
  private readonly output: SendQueue;
  private lostReason: string | undefined;

  constructor(
    readonly socket: ClientSocket,
    private readonly events: ConnectionEvents,
    private readonly scheduler: OutputScheduler,
    private readonly clock: Clock,
    private readonly limits: Limits,
  ) {
    this.ip = this.host = socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown';
    this.connectedAt = this.lastActive = this.lastSpoke = clock.now();
    this.flood = new FloodGate(clock, limits.floodBurst, limits.floodPerSecond);
    this.output = new SendQueue(socket, limits.sendQueueBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.lostReason ??= error.code === 'ECONNRESET' ? 'Connection reset by peer' : `Read error: ${error.message}`;
    });
    socket.on('close', () => this.lose(this.lostReason ?? 'Remote host closed the connection'));
    this.registrationTimer = clock.setTimeout(() => this.lose('Registration timed out'), limits.registrationTimeoutMs);
  }

  get prefix(): string {
    this.prefixCache ??= `${this.nick ?? '*'}!${this.user ?? '*'}@${this.host}`;
    return this.prefixCache;
  }

  /** `nick!user@address`, the real one: bans are checked against it too, so that a changed host hides nobody. */
  get addressPrefix(): string {
    return `${this.nick ?? '*'}!${this.user ?? '*'}@${this.ip}`;
  }

  /** The nick, or `*` before there is one, as numerics address it. */
  get target(): string {
    return this.nick ?? '*';
  }

  setNick(nick: string | undefined): void {
    this.nick = nick;
    this.prefixCache = undefined;
  }

  setHost(host: string): void {
    this.host = host;
    this.prefixCache = undefined;
  }

  markRegistered(): void {
    this.registered = true;
    this.clock.clearTimeout(this.registrationTimer);
    // Let the spent timer go: a cleared Timeout still costs ~240 bytes per idle client while referenced.
    this.registrationTimer = undefined;
    // People on nc cannot answer PING; TCP keepalive notices their dead connections instead.
    if (this.mode === 'plain') this.socket.setKeepAlive(true, 60_000);
    else this.schedulePing(this.limits.pingAfterMs);
  }

  send(outgoing: Outgoing): void {
    if (!held(this, outgoing)) this.write(outgoing);
  }

  /** Send now, even while a labeled response is being collected (the last line before a close). */
  private write(outgoing: Outgoing): void {
    if (this.closed) return;
    const bytes = this.mode === 'plain' ? outgoing.plainBytes(this.currentChannel) : outgoing.ircBytes(this);
    if (bytes !== null) this.enqueue(bytes);
  }

  /** Plain mode: a line of text as it is, for prompts and help. */
  sendText(text: string): void {
    if (!this.closed) this.enqueue(Buffer.from(`${text}\r\n`, 'utf8'));
  }

  private enqueue(bytes: Buffer): void {
    if (this.output.push(bytes)) {
      this.scheduler.mark(this);
      return;
    }
    // Leave the broadcast that is filling us untouched: drop the reader after it.
    this.closed = true;
    queueMicrotask(() => this.events.lost(this, 'SendQ exceeded'));
  }

  flush(): void {
    this.output.flush();
  }

  /** Send what is queued plus a last line, then close. Safe to call twice. */
  close(lastLine: Outgoing | undefined): void {
    if (lastLine) this.write(lastLine);
    this.closed = true;
    this.stopTimers();
    this.flush();
    this.socket.end();
    // A peer that never reads would keep the socket half-open forever.
    setTimeout(() => this.socket.destroy(), 5_000).unref();
  }

  /** Drop without a goodbye: the peer is gone or will not read. */
  destroy(): void {
    this.closed = true;
    this.stopTimers();
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.lastActive = this.clock.now();
    for (const item of this.reader.push(chunk)) {
      if ('tooLong' in item) this.events.tooLong(this);
      else this.inbox.push(item.line);
    }
    this.drain();
  }

  private drain(): void {
    this.clock.clearTimeout(this.floodTimer);
    this.floodTimer = undefined;
    while (this.inbox.length > 0 && !this.closed && !this.busy) {
      // A PONG costs nothing and answers our own PING: never hold it back, or a client that negotiates
      // capabilities and then answers quick PINGs could be dropped for Excess Flood.
      if (!isPong(this.inbox[0]!) && !this.flood.tryTake()) {
        if (this.inbox.length > this.limits.floodQueueMax) return this.lose('Excess Flood');
        this.floodTimer = this.clock.setTimeout(() => this.drain(), this.flood.waitMs());
        return;
      }
      const result = this.events.line(this, this.inbox.shift()!);
      if (result instanceof Promise) {
        this.busy = true;
        void result.finally(() => {
          this.busy = false;
          this.drain();
        });
      }
    }
    if (this.inbox.length > this.limits.floodQueueMax + this.limits.floodBurst) this.lose('Excess Flood');
  }

  private schedulePing(ms: number): void {
    this.pingTimer = this.clock.setTimeout(() => this.checkPing(), ms);
  }

  private checkPing(): void {
    const now = this.clock.now();
    if (this.pingSentAt !== undefined) {
      if (this.lastActive >= this.pingSentAt) {
        this.pingSentAt = undefined;
      } else {
        return this.lose(`Ping timeout: ${Math.round((now - this.lastActive) / 1000)} seconds`);
      }
    }
    const idle = now - this.lastActive;
    if (idle < this.limits.pingAfterMs) return this.schedulePing(this.limits.pingAfterMs - idle);
    this.pingSentAt = now;
    this.events.ping(this);
    this.schedulePing(this.limits.pingTimeoutMs);
  }

  private lose(reason: string): void {
    if (this.closed) return;
    this.events.lost(this, reason);
  }

  private stopTimers(): void {
    this.clock.clearTimeout(this.registrationTimer);
    this.clock.clearTimeout(this.pingTimer);
    this.clock.clearTimeout(this.floodTimer);
  }
}

function isPong(line: string): boolean {
  return /^(?:@\S* )?(?::\S* )?PONG(?: |$)/i.test(line);
}
