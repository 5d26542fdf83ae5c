import { formatMessage, parseMessage, type Message } from '../src/protocol/message.js';
import { reconnectDelayMs } from './backoff.js';
import { Liveness } from './liveness.js';
import { Registration } from './registration.js';

/**
 * The WebSocket to the server the page came from (`text.ircv3.net`: one line per message), registered again after
 * every drop, with a growing, jittered wait between attempts.
 */
export interface ConnectionEvents {
  /** Every message from the server, registration included. */
  message(message: Message): void;
  /** `connecting`, `connected`, `disconnected, retrying in 3s` or `disconnected`. */
  status(text: string): void;
  /** 001 arrived on this connection (the first or a reconnect). */
  registered(): void;
  /** Registration was refused for good (wrong password, bad nickname); no retry. */
  failed(reason: string): void;
}

export class Connection {
  private socket: WebSocket | undefined;
  private registration: Registration | undefined;
  private attempt = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private countdown: ReturnType<typeof setInterval> | undefined;
  private liveness: Liveness | undefined;

  constructor(
    private readonly url: string,
    private readonly login: { readonly nick: string; readonly password: string },
    private readonly events: ConnectionEvents,
  ) {}

  /** Capabilities the server granted on the current connection. */
  get caps(): ReadonlySet<string> {
    return this.registration?.granted ?? new Set();
  }

  get open(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  send(message: Message): void {
    this.socket?.send(formatMessage(message));
  }

  /** /quit: say goodbye and stay disconnected. */
  quit(reason: string): void {
    this.stopped = true;
    this.send({ command: 'QUIT', params: [reason] });
    this.clearTimers();
    this.liveness?.stop();
  }

  private connect(): void {
    this.clearTimers();
    this.events.status('connecting');
    const registration = new Registration(this.login.nick, this.login.password);
    this.registration = registration;
    const socket = new WebSocket(this.url, ['text.ircv3.net']);
    this.socket = socket;
    let registered = false;
    const liveness = new Liveness(
      () => this.send({ command: 'PING', params: ['keepalive'] }),
      () => {
        // Dead without a close: let this socket go (its close may never come) and start again.
        if (this.socket !== socket) return;
        this.socket = undefined;
        socket.close();
        this.retry();
      },
    );
    this.liveness?.stop();
    this.liveness = liveness;
    socket.addEventListener('open', () => {
      for (const message of registration.start()) this.send(message);
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      if (registered) liveness.heard();
      const message = parseMessage(event.data);
      if (!message) return;
      if (message.command === 'PING') return this.send({ command: 'PONG', params: message.params.slice(0, 1) });
      // The answer to our own keepalive PING: its arrival (above) was all it was for.
      if (message.command === 'PONG') return;
      if (!registered) {
        const step = registration.receive(message);
        if (step?.kind === 'send') step.messages.forEach((reply) => this.send(reply));
        if (step?.kind === 'failed') {
          this.stopped = true;
          socket.close();
          this.events.failed(step.reason);
          return;
        }
        if (step?.kind === 'done') {
          registered = true;
          liveness.heard();
          this.attempt = 0;
          this.events.message(message);
          this.events.status('connected');
          this.events.registered();
          return;
        }
      }
      this.events.message(message);
    });
    socket.addEventListener('close', () => {
      liveness.stop();
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.stopped) return this.events.status('disconnected');
      this.retry();
    });
  }

  private retry(): void {
    const due = Date.now() + reconnectDelayMs(this.attempt++);
    const show = () => {
      const seconds = Math.max(1, Math.ceil((due - Date.now()) / 1000));
      this.events.status(`disconnected, retrying in ${seconds}s`);
    };
    show();
    this.countdown = setInterval(show, 1000);
    this.retryTimer = setTimeout(() => this.connect(), due - Date.now());
  }

  private clearTimers(): void {
    clearTimeout(this.retryTimer);
    clearInterval(this.countdown);
  }
}
