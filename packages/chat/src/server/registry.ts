import { foldCase } from '../protocol/casemap.js';
import { Channel } from './channel.js';
import type { Connection } from './connection.js';

/** Who is connected, which nicks are taken (case-folded), and which channels exist. */
export class Registry {
  readonly connections = new Set<Connection>();
  private readonly nicks = new Map<string, Connection>();
  private readonly channelsByKey = new Map<string, Channel>();
  private readonly perIp = new Map<string, number>();

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
    for (const channel of connection.channels) this.leave(channel, connection);
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

  get userCount(): number {
    return this.nicks.size;
  }

  findChannel(name: string): Channel | undefined {
    return this.channelsByKey.get(foldCase(name));
  }

  channels(): IterableIterator<Channel> {
    return this.channelsByKey.values();
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
    channel.members.set(connection, { op: channel.members.size === 0 });
    connection.channels.add(channel);
    return channel;
  }

  /** Leave; an empty channel ceases to exist, as in every ircd. */
  leave(channel: Channel, connection: Connection): void {
    channel.members.delete(connection);
    connection.channels.delete(channel);
    if (connection.currentChannel === channel.name) {
      // Plain mode: keep talking somewhere the user still is, if anywhere.
      connection.currentChannel = connection.channels.values().next().value?.name;
    }
    if (channel.members.size === 0) this.channelsByKey.delete(channel.key);
  }
}
