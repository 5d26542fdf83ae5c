import type { Logger } from '@quartet/core/log';
import type { PasswordHasher } from '@quartet/core/password';
import { memoryAccounts } from '../db/account-store.js';
import { parseMessage, type Message } from '../protocol/message.js';
import { ERR } from '../protocol/numerics.js';
import { systemClock, type Clock } from '../timing/clock.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { Accounts, type AccountOptions } from './accounts.js';
import { lazyHasher } from './lazy-hasher.js';
import { COMMANDS } from './commands/index.js';
import { rememberNick } from './commands/whowas.js';
import { Connection, type ClientSocket, type ConnectionEvents } from './connection.js';
import { ServerContext, type ServerInfo } from './context.js';
import type { ChatStore } from '../db/chat-store.js';
import { createLocalDelivery, type Delivery } from './delivery.js';
import { History } from './history.js';
import { labeled } from './labeled-response.js';
import { Moderation } from './moderation.js';
import type { NetworkLink } from './network-link.js';
import type { OperList } from './opers.js';
import { OutputScheduler } from './output-scheduler.js';
import { plainGreeting, plainLine } from './plain-mode.js';
import { Registry } from './registry.js';

export interface ChatServerOptions {
  readonly info: ServerInfo;
  readonly opers: OperList;
  readonly log: Logger;
  readonly limits?: Partial<Limits>;
  readonly clock?: Clock;
  readonly delivery?: Delivery;
  /** Where history, bans and mutes are kept; without one, bans and mutes live in memory and there is no history. */
  readonly store?: ChatStore;
  /** Messages replayed on JOIN (default 50) and how long they are kept (default 30 days). */
  readonly history?: { readonly limit: number; readonly retentionMs: number };
  /** Join a network of servers (Redis). */
  readonly network?: NetworkLink;
  /** Hashes account passwords; default bcrypt at @quartet/core's cost, loaded on first use. */
  readonly hasher?: PasswordHasher;
  /** Nick ownership (default: not required; 30 s to identify). Accounts live in `store`, else in memory. */
  readonly accounts?: Partial<AccountOptions>;
}

/** A first line starting with one of these means an IRC client, whatever follows. */
const REGISTRATION_WORDS = new Set(['CAP', 'PASS', 'NICK', 'USER']);

/** How long someone on a nick an account owns has to identify before being renamed (as ergo and Atheme do). */
const NICK_GRACE_MS = 30_000;

/** How long a shutdown waits for clients to close after the ERROR line before it cuts them off. */
const SHUTDOWN_GRACE_MS = 300;

/**
 * The chat server, independent of how sockets arrive: listeners (TCP, TLS,
 * WebSocket) hand each accepted socket to `accept`.
 */
export class ChatServer {
  readonly registry = new Registry();
  readonly limits: Limits;
  private readonly context: ServerContext;
  private readonly scheduler = new OutputScheduler();
  private readonly events: ConnectionEvents;
  private shuttingDown = false;
  private readonly network: NetworkLink | undefined;

  constructor(options: ChatServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const clock = options.clock ?? systemClock;
    const local = options.delivery ?? createLocalDelivery(this.registry);
    const { store, network } = options;
    const history = options.history ?? { limit: 50, retentionMs: 30 * 86_400_000 };
    this.network = network;
    this.context = new ServerContext(
      options.info,
      this.registry,
      network ? network.wrapDelivery(local) : local,
      options.opers,
      clock,
      this.limits,
      options.log,
      (connection, reason, error) => this.disconnect(connection, reason, error),
      {
        moderation: new Moderation(store, clock.now()),
        accounts: new Accounts(store?.accounts ?? memoryAccounts(), options.hasher ?? lazyHasher(), () => clock.now(), {
          requireForNick: false,
          nickGraceMs: NICK_GRACE_MS,
          ...options.accounts,
        }),
        history: store && new History(store, history.limit, history.retentionMs),
        network: network?.network,
      },
    );
    network?.start(this.context, local);
    this.events = {
      line: (connection, line) => this.line(connection, line),
      tooLong: (connection) => this.context.reply(connection, ERR.INPUTTOOLONG, 'Input line was too long'),
      lost: (connection, reason) => this.disconnect(connection, reason),
      ping: (connection) => connection.send(this.context.outgoing({ command: 'PING', params: [options.info.name] })),
    };
  }

  accept(socket: ClientSocket): void {
    const ip = socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown';
    const { log } = this.context;
    let refusal: string | undefined;
    if (this.shuttingDown) refusal = 'Server shutting down';
    else if (this.registry.connections.size >= this.limits.maxClients) refusal = 'Too many connections';
    else if (this.registry.countFrom(ip) >= this.limits.maxPerIp) refusal = 'Too many connections from your IP';
    if (refusal !== undefined) {
      log.warn({ event: 'refused', ip, reason: refusal }, 'connection refused');
      socket.on('error', () => undefined);
      socket.end(`ERROR :Closing Link: ${ip} (${refusal})\r\n`);
      return;
    }
    const connection = new Connection(socket, this.events, this.scheduler, this.context.clock, this.limits);
    this.registry.add(connection);
    connection.send(this.context.server('NOTICE', '*', plainGreeting(this.context.info.password !== undefined)));
    log.info({ event: 'connect', id: connection.id, ip }, 'connect');
  }

  /**
   * Say goodbye to everyone (`ERROR :Server shutting down`), give their sockets a moment to close, then cut
   * the rest: a client that never closes its end must not hold the process up.
   */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    // While the registry still lists our users: release their nicks and tell the network we are leaving.
    await this.network?.stop();
    const leaving = [...this.registry.connections];
    const closing: Promise<unknown>[] = [];
    for (const connection of leaving) {
      this.registry.remove(connection);
      if (connection.socket.destroyed) continue;
      // Not events.once: it rejects on 'error', and a client resetting mid-goodbye must not fail the shutdown.
      closing.push(new Promise((resolve) => connection.socket.once('close', resolve)));
      connection.close(this.context.outgoing({ command: 'ERROR', params: ['Server shutting down'] }));
    }
    this.scheduler.flushAll();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.all(closing), grace]);
    clearTimeout(timer);
    for (const connection of leaving) connection.destroy();
  }

  private line(connection: Connection, line: string): void | Promise<void> {
    if (connection.mode === 'pending') connection.mode = isIrcLine(line) ? 'irc' : 'plain';
    if (connection.mode === 'plain') {
      return plainLine(this.context, connection, line, (message) => this.dispatch(connection, message));
    }
    const message = parseMessage(line);
    const label = message?.tags?.['label'];
    return message && labeled(this.context, connection, label, () => this.dispatch(connection, message));
  }

  private dispatch(connection: Connection, message: Message): void | Promise<void> {
    if (connection.closed) return;
    const { context } = this;
    const spec = COMMANDS.get(message.command);
    if (!spec) return context.reply(connection, ERR.UNKNOWNCOMMAND, message.command, 'Unknown command');
    if (!connection.registered && !spec.beforeRegistration) {
      return context.reply(connection, ERR.NOTREGISTERED, 'You have not registered');
    }
    if (message.params.length < spec.minParams) {
      return context.reply(connection, ERR.NEEDMOREPARAMS, message.command, 'Not enough parameters');
    }
    return spec.handler(context, connection, message.params, message.tags);
  }

  /** Forget messages older than the retention period; returns how many went. */
  pruneHistory(): number {
    return this.context.history?.prune(this.context.clock.now()) ?? 0;
  }

  private disconnect(connection: Connection, reason: string, error?: string): void {
    const { context } = this;
    // Tell the channels before leaving them; then the registry forgets the connection.
    if (!this.registry.connections.has(connection)) return;
    if (connection.registered) {
      context.delivery.toNeighbours(connection, context.from(connection, 'QUIT', reason), false);
      if (connection.nick !== undefined) rememberNick(context, connection, connection.nick);
    }
    this.registry.remove(connection);
    if (connection.nick !== undefined) context.network?.releaseNick(connection, connection.nick);
    if (connection.socket.destroyed || reason === 'SendQ exceeded') connection.destroy();
    else {
      const farewell = error ?? `Closing Link: ${connection.ip} (${reason})`;
      connection.close(context.outgoing({ command: 'ERROR', params: [farewell] }));
    }
    context.log.info(
      { event: 'disconnect', id: connection.id, nick: connection.nick, ip: connection.ip, reason },
      'disconnect',
    );
  }
}

/**
 * Is a connection's first line from an IRC client, or a person on nc typing a nickname? Tags, a prefix or a
 * registration command mean IRC. So does any other command with parameters (`PING x`, `QUIT :bye`: a nickname has
 * no spaces) or written in capitals (`QUIT`, `LUSERS`); a lone `quit` or `list` may be someone's chosen nick.
 */
function isIrcLine(line: string): boolean {
  const text = line.trimStart();
  if (text.startsWith('@') || text.startsWith(':')) return true;
  const [word = '', ...rest] = text.trimEnd().split(' ');
  const command = word.toUpperCase();
  if (REGISTRATION_WORDS.has(command)) return true;
  return COMMANDS.has(command) && (rest.length > 0 || word === command);
}
