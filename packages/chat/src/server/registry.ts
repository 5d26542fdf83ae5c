import { foldCase } from '../protocol/casemap.js';
import { Channel } from './channel.js';
import type { Connection } from './connection.js';

/** Who is connected, which nicks are taken (case-folded), and which channels exist. */
export class Registry {
  readonly connections = new Set<Connection>();
  private readonly nicks = new Map<string, Connection>();
  private readonly channelsByKey = new Map<string, Channel>();
  private readonly perIp = new Map<string, number>();
  /** Each connection's channels. Kept here, beside the channels' member lists, so that a connection knows nothing of channels. */
  private readonly memberships = new Map<Connection, Set<Channel>>();
  /** The channels each connection has been invited to (INVITE); an invite is used up by joining. */
  private readonly invites = new Map<Connection, Set<Channel>>();

  add(connection: Connection): void {
    this.connections.add(connection);
    this.perIp.set(connection.ip, this.countFrom(connection.ip) + 1);
  }

  /** Forget a connection, its nick and its channel memberships; returns false if it was already gone. */
  remove(connection: Connection): boolean {
    if (!this.connections.delete(connection)) return false;
    const left = this.countFrom(connection.ip) - 1;
    if (left > 0) this.perIp.set(connection.ip, left);
    else this.perIp.delete(connection.ip);
    if (connection.nick !== undefined && this.nicks.get(foldCase(connection.nick)) === connection) {
      this.nicks.delete(foldCase(connection.nick));
    }
    for (const channel of this.channelsOf(connection)) this.leave(channel, connection);
    this.memberships.delete(connection);
    this.invites.delete(connection);
    return true;
  }

  countFrom(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  findNick(nick: string): Connection | undefined {
    return this.nicks.get(foldCase(nick));
  }

  /** Claim a nick for a connection, releasing its old one. False when someone else holds it. */
  claimNick(connection: Connection, nick: string): boolean {
    const holder = this.nicks.get(foldCase(nick));
    if (holder !== undefined && holder !== connection) return false;
    if (connection.nick !== undefined) this.nicks.delete(foldCase(connection.nick));
    this.nicks.set(foldCase(nick), connection);
    connection.setNick(nick);
    return true;
  }

  /** Give up a connection's nick before registration (one an account owns, with --require-account-for-nick). */
  releaseNick(connection: Connection): void {
    if (connection.nick !== undefined && this.nicks.get(foldCase(connection.nick)) === connection) {
      this.nicks.delete(foldCase(connection.nick));
    }
    connection.setNick(undefined);
  }

  get userCount(): number {
    return this.nicks.size;
  }

  findChannel(name: string): Channel | undefined {
    return this.channelsByKey.get(foldCase(name));
  }

  channels(): IterableIterator<Channel> {
    return this.channelsByKey.values();
  }

  /** The channels a connection is in, in the order joined. */
  channelsOf(connection: Connection): ReadonlySet<Channel> {
    return this.memberships.get(connection) ?? NO_CHANNELS;
  }

  get channelCount(): number {
    return this.channelsByKey.size;
  }

  /** Join, creating the channel if needed; the creator becomes its operator. */
  join(name: string, connection: Connection, now: number): Channel {
    let channel = this.findChannel(name);
    if (channel === undefined) {
      channel = new Channel(name, now);
      this.channelsByKey.set(channel.key, channel);
    }
    channel.members.set(connection, { op: channel.members.size === 0, voice: false });
    this.invites.get(connection)?.delete(channel);
    let joined = this.memberships.get(connection);
    if (joined === undefined) this.memberships.set(connection, (joined = new Set()));
    joined.add(channel);
    return channel;
  }

  /**
   * Remember an invite. Invites are kept per channel incarnation (a channel that empties and is made again is a new
   * one), and at most `INVITES_MAX` per connection, the oldest dropped first, so that invites to channels that have
   * since gone cannot pile up.
   */
  invite(connection: Connection, channel: Channel): void {
    let invited = this.invites.get(connection);
    if (invited === undefined) this.invites.set(connection, (invited = new Set()));
    for (const old of invited) if (!this.exists(old)) invited.delete(old);
    invited.delete(channel);
    invited.add(channel);
    if (invited.size > INVITES_MAX) invited.delete(invited.values().next().value!);
  }

  isInvited(connection: Connection, channel: Channel): boolean {
    return this.invites.get(connection)?.has(channel) === true;
  }

  /** The channels, still in existence, that a connection has been invited to and not joined since. */
  invitesOf(connection: Connection): Channel[] {
    return [...(this.invites.get(connection) ?? [])].filter((channel) => this.exists(channel));
  }

  private exists(channel: Channel): boolean {
    return this.channelsByKey.get(channel.key) === channel;
  }

  /** Leave; an empty channel ceases to exist, as in every ircd. */
  leave(channel: Channel, connection: Connection): void {
    channel.members.delete(connection);
    const joined = this.memberships.get(connection);
    joined?.delete(channel);
    if (joined?.size === 0) this.memberships.delete(connection);
    if (connection.currentChannel === channel.name) {
      // Plain mode: keep talking somewhere the user still is, if anywhere.
      connection.currentChannel = joined?.values().next().value?.name;
    }
    if (channel.members.size === 0) this.channelsByKey.delete(channel.key);
  }
}

const NO_CHANNELS: ReadonlySet<Channel> = new Set();
const INVITES_MAX = 50;
