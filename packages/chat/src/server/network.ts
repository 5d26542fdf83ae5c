import type { Connection } from './connection.js';
import type { BanRecord, MuteRecord } from './moderation.js';
import type { Outgoing } from './outgoing.js';

/** A user connected to another server of the network, as this server knows them. */
export interface RemoteUser {
  readonly nick: string;
  readonly user: string;
  readonly host: string;
  readonly realname: string;
  readonly server: string;
  readonly node: string;
  readonly isOper: boolean;
  /** The account they are logged in to (WHOIS 330, WHOX `%a`). */
  readonly account: string | undefined;
  /** Their AWAY message (WHOIS 301, `G` in WHO); undefined when they are here. */
  readonly away: string | undefined;
  /** Channels by case-folded name: the name as written and whether they are its operator there. */
  readonly channels: ReadonlyMap<string, { readonly name: string; readonly op: boolean }>;
}

export interface RemoteCounts {
  readonly users: number;
  readonly opers: number;
  readonly servers: number;
}

/**
 * What the commands need from the network of servers. Absent on a lone
 * server; the Redis implementation lives in `src/network/`.
 */
export interface Network {
  /** Claim a nick network-wide for this connection. False when another connection holds it. */
  claimNick(connection: Connection, nick: string): Promise<boolean>;
  /** Give a nick back, only if the claim is still this connection's. */
  releaseNick(connection: Connection, nick: string): void;
  /** The connection finished registering: other servers learn of it. */
  announce(connection: Connection): void;
  findUser(nick: string): RemoteUser | undefined;
  usersIn(channelKey: string): readonly RemoteUser[];
  /** Everyone on the other servers, for WHO with a mask. */
  users(): Iterable<RemoteUser>;
  /** How many users and operators the other servers have, and how many servers are alive, for LUSERS. */
  counts(): RemoteCounts;
  /** The names of the other live servers, for LINKS. */
  servers(): string[];
  /** A private message, notice, TAGMSG or INVITE to a user on another server, tags and all. */
  sendPrivate(user: RemoteUser, outgoing: Outgoing): void;
  /** Ask the user's server to disconnect them. */
  kill(user: RemoteUser, by: Connection, comment: string): void;
  /** A KICK of a remote user: forget their membership here (their server hears the KICK itself). */
  kicked(user: RemoteUser, channelKey: string): void;
  ban(record: BanRecord): void;
  unban(mask: string): void;
  mute(record: MuteRecord): void;
  unmute(nickKey: string): void;
}
