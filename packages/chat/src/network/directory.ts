import { foldCase } from '../protocol/casemap.js';
import type { RemoteCounts, RemoteUser } from '../server/network.js';
import type { UserInfo } from './events.js';

interface MutableRemoteUser extends RemoteUser {
  nick: string;
  user: string;
  host: string;
  realname: string;
  account: string | undefined;
  away: string | undefined;
  channels: Map<string, { name: string; op: boolean }>;
}

/**
 * Who is on the other servers, and which servers are alive. Built from the
 * events they publish; a server silent for longer than the expiry is taken
 * to have died and its users are dropped.
 */
export class RemoteDirectory {
  private readonly users = new Map<string, MutableRemoteUser>();
  private readonly byChannel = new Map<string, Set<MutableRemoteUser>>();
  /** Each live node's server name and when it was last heard from. */
  private readonly lastSeen = new Map<string, { server: string; at: number }>();

  find(nick: string): RemoteUser | undefined {
    return this.users.get(foldCase(nick));
  }

  usersIn(channelKey: string): readonly RemoteUser[] {
    const members = this.byChannel.get(channelKey);
    return members ? [...members] : [];
  }

  all(): IterableIterator<RemoteUser> {
    return this.users.values();
  }

  counts(): RemoteCounts {
    let opers = 0;
    for (const user of this.users.values()) if (user.isOper) opers += 1;
    return { users: this.users.size, opers, servers: this.lastSeen.size };
  }

  /** The names of the other live servers, for LINKS. */
  servers(): string[] {
    return [...this.lastSeen.values()].map(({ server }) => server);
  }

  seen(node: string, server: string, now: number): void {
    this.lastSeen.set(node, { server, at: now });
  }

  /** Nodes not heard from since `before`. */
  silentSince(before: number): string[] {
    return [...this.lastSeen].filter(([, { at }]) => at < before).map(([node]) => node);
  }

  upsert(node: string, server: string, info: UserInfo): void {
    this.remove(info.nick);
    const user: MutableRemoteUser = {
      nick: info.nick,
      user: info.user,
      host: info.host,
      realname: info.realname,
      isOper: info.isOper,
      account: info.account,
      away: info.away,
      node,
      server,
      channels: new Map(),
    };
    this.users.set(foldCase(info.nick), user);
    for (const [name, op] of info.channels) this.join(user, name, op);
  }

  /** A JOIN seen from a user we may not know yet (their `up` was lost): learn them from the prefix. */
  joinByPrefix(node: string, server: string, prefix: string, channel: string, op: boolean): void {
    const [nick = '', rest = ''] = prefix.split('!');
    const [user = '*', host = '*'] = rest.split('@');
    let known = this.users.get(foldCase(nick));
    if (!known || known.node !== node) {
      this.upsert(node, server, { nick, user, host, realname: '', isOper: false, channels: [] });
      known = this.users.get(foldCase(nick))!;
    }
    this.join(known, channel, op);
  }

  part(nick: string, channelKey: string): void {
    const user = this.users.get(foldCase(nick));
    if (!user) return;
    user.channels.delete(channelKey);
    const members = this.byChannel.get(channelKey);
    members?.delete(user);
    if (members?.size === 0) this.byChannel.delete(channelKey);
  }

  rename(oldNick: string, newNick: string): void {
    const user = this.users.get(foldCase(oldNick));
    if (!user) return;
    this.users.delete(foldCase(oldNick));
    user.nick = newNick;
    this.users.set(foldCase(newNick), user);
  }

  /** SETNAME on their server: WHOIS here shows the new realname. */
  setRealname(nick: string, realname: string): void {
    const user = this.users.get(foldCase(nick));
    if (user) user.realname = realname;
  }

  /** CHGHOST on their server: WHOIS, WHO and later lines here show the new user and host. */
  setHost(nick: string, user: string, host: string): void {
    const found = this.users.get(foldCase(nick));
    if (found) Object.assign(found, { user, host });
  }

  /** AWAY on their server: `text` undefined when they are back. */
  setAway(nick: string, text: string | undefined): void {
    const found = this.users.get(foldCase(nick));
    if (found) found.away = text;
  }

  /** ACCOUNT on their server (a login, or `*` for a logout). */
  setAccount(nick: string, account: string): void {
    const user = this.users.get(foldCase(nick));
    if (user) user.account = account === '*' ? undefined : account;
  }

  remove(nick: string): RemoteUser | undefined {
    const user = this.users.get(foldCase(nick));
    if (!user) return undefined;
    for (const key of [...user.channels.keys()]) this.part(user.nick, key);
    this.users.delete(foldCase(nick));
    return user;
  }

  /** Forget a node and all its users; returns them, with the channels they were in. */
  dropNode(node: string): RemoteUser[] {
    this.lastSeen.delete(node);
    const gone: RemoteUser[] = [];
    for (const user of [...this.users.values()]) {
      if (user.node !== node) continue;
      const snapshot = { ...user, channels: new Map(user.channels) };
      this.remove(user.nick);
      gone.push(snapshot);
    }
    return gone;
  }

  private join(user: MutableRemoteUser, name: string, op: boolean): void {
    const key = foldCase(name);
    user.channels.set(key, { name, op });
    let members = this.byChannel.get(key);
    if (!members) this.byChannel.set(key, (members = new Set()));
    members.add(user);
  }
}
