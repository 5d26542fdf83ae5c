import type { Logger } from '@quartet/core/log';
import type { Message } from '../protocol/message.js';
import type { Clock } from '../timing/clock.js';
import type { Accounts } from './accounts.js';
import type { Limits } from './limits.js';
import type { Connection } from './connection.js';
import type { Delivery } from './delivery.js';
import type { History } from './history.js';
import type { Moderation } from './moderation.js';
import type { Network } from './network.js';
import type { OperList } from './opers.js';
import { Outgoing, type ServerMessage } from './outgoing.js';
import type { Registry } from './registry.js';
import { WhowasHistory } from './whowas.js';

export interface ServerInfo {
  readonly name: string;
  /** What the server says it is (--info): LINKS and WHOIS show it. */
  readonly description: string;
  readonly version: string;
  readonly createdAt: Date;
  /** MOTD lines, or undefined for none (422). */
  readonly motd: readonly string[] | undefined;
  /** Where plain-mode users start. */
  readonly lobby: string;
  /** The connection password every client must give (PASS, or first in plain mode); none when undefined. */
  readonly password?: string | undefined;
}

/** The optional parts: history needs a store, the network needs Redis. */
export interface ServerServices {
  readonly moderation: Moderation;
  readonly accounts: Accounts;
  readonly history?: History | undefined;
  readonly network?: Network | undefined;
}

/** What command handlers work with. */
export class ServerContext {
  readonly moderation: Moderation;
  readonly accounts: Accounts;
  readonly history: History | undefined;
  readonly network: Network | undefined;
  /** The most users seen at once, here and on the whole network, for LUSERS (265, 266). */
  readonly peaks = { local: 0, global: 0 };
  /** Nicks given up lately, for WHOWAS. */
  readonly whowas = new WhowasHistory();

  constructor(
    readonly info: ServerInfo,
    readonly registry: Registry,
    readonly delivery: Delivery,
    readonly opers: OperList,
    readonly clock: Clock,
    readonly limits: Limits,
    readonly log: Logger,
    /**
     * Remove a connection: tell its channels, say goodbye, close. `error` replaces
     * the usual `Closing Link: ip (reason)` farewell (a ban refusal says `Banned (why)`).
     */
    readonly disconnect: (connection: Connection, reason: string, error?: string) => void,
    services: ServerServices,
  ) {
    this.moderation = services.moderation;
    this.accounts = services.accounts;
    this.history = services.history;
    this.network = services.network;
  }

  /** A message from the server itself; a bound function, so it can be handed on (history replay takes it). */
  readonly server: ServerMessage = (command, ...params) => this.outgoing({ prefix: this.info.name, command, params });

  /** A message from a user (`nick!user@host`). */
  from(connection: Connection, command: string, ...params: string[]): Outgoing {
    // account-tag: the sender's account goes with everything they do; only readers with the capability see it.
    const tags = connection.account === undefined ? undefined : { account: connection.account };
    return this.outgoing({ ...(tags && { tags }), prefix: connection.prefix, command, params });
  }

  /** With `onlyFor`, only readers that negotiated that capability get it. */
  outgoing(message: Message, onlyFor?: string): Outgoing {
    return new Outgoing(message, this.clock.now(), onlyFor);
  }

  /** A numeric reply; numerics are addressed to the client's nick (or `*` before it has one). */
  reply(connection: Connection, numeric: string, ...params: string[]): void {
    connection.send(this.server(numeric, connection.target, ...params));
  }
}

export type Handler = (
  context: ServerContext,
  connection: Connection,
  params: readonly string[],
  /** The line's IRCv3 tags; only PRIVMSG, NOTICE and TAGMSG pass any on. */
  tags?: Readonly<Record<string, string>>,
) => void | Promise<void>;

export interface CommandSpec {
  readonly handler: Handler;
  /** Parameters without which the command gets 461. */
  readonly minParams: number;
  /** Commands allowed before registration. */
  readonly beforeRegistration?: boolean;
}
