import { foldCase, isChannelName } from '../../protocol/casemap.js';
import { RPL } from '../../protocol/numerics.js';
import { parseWhoOptions, type WhoOptions } from '../../protocol/who-options.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import { compileMask } from '../masks.js';
import type { RemoteUser } from '../network.js';

/** One user as WHO shows them, wherever they are connected. */
interface WhoEntry {
  readonly channel: string;
  readonly user: string;
  readonly host: string;
  readonly server: string;
  readonly nick: string;
  readonly away: boolean;
  readonly oper: boolean;
  readonly bot: boolean;
  /** Channel status (`@`, `+`, with multi-prefix `@+`), for WHO #channel. */
  readonly status: string;
  readonly hops: number;
  readonly idleSeconds: number;
  readonly realname: string;
  readonly account: string | undefined;
}

/**
 * WHO <#channel | nick | mask> [o][%fields[,token]]. A channel lists its members; a nick that is connected, that
 * user; anything else is a mask (`*`, `0` or none for everyone) matched against nick, username, host, server and
 * realname. Invisible users (+i) appear for a channel or a mask only to people who share a channel with them
 * (and to operators); asked for by nick, they always do. Then 352s (or 354s for WHOX) and 315.
 */
export const who: Handler = (context, connection, params) => {
  // A mask is one word: 315 echoes it as a middle parameter, which cannot hold a space.
  const mask = (params[0] ?? '').split(' ')[0] ?? '';
  const options = parseWhoOptions(params[1]);
  for (const entry of entries(context, connection, mask)) {
    if (!options.opersOnly || entry.oper) reply(context, connection, entry, options);
  }
  context.reply(connection, RPL.ENDOFWHO, mask === '' ? '*' : mask, 'End of WHO list');
};

function* entries(context: ServerContext, viewer: Connection, mask: string): Generator<WhoEntry> {
  const { registry, network } = context;
  if (isChannelName(mask)) {
    const channel = registry.findChannel(mask);
    if (channel === undefined || !channel.visibleTo(viewer)) return;
    const seesAll = channel.members.has(viewer) || viewer.isOper;
    const all = viewer.caps.has('multi-prefix');
    for (const member of channel.members.keys()) {
      if (seesAll || !member.invisible) yield local(context, member, channel.name, channel.prefixOf(member, all));
    }
    for (const user of network?.usersIn(channel.key) ?? []) {
      yield remote(user, channel.name, user.channels.get(channel.key)?.op ? '@' : '');
    }
    return;
  }
  const named = registry.findNick(mask);
  const namedRemote = named ? undefined : network?.findUser(mask);
  if (named?.registered || namedRemote) {
    yield named ? local(context, named, '*', '') : remote(namedRemote!, '*', '');
    return;
  }
  const matcher = mask === '' || mask === '0' ? undefined : compileMask(foldCase(mask));
  const matches = (...fields: string[]) => matcher === undefined || fields.some((f) => matcher.test(foldCase(f)));
  for (const other of registry.connections) {
    if (!other.registered || !canSee(context, viewer, other)) continue;
    if (matches(other.target, other.user ?? '', other.host, context.info.name, other.realname)) {
      yield local(context, other, '*', '');
    }
  }
  for (const user of network?.users() ?? []) {
    if (matches(user.nick, user.user, user.host, user.server, user.realname)) yield remote(user, '*', '');
  }
}

/** Invisible users (+i) are seen by themselves, server operators and whoever shares a channel with them. */
function canSee(context: ServerContext, viewer: Connection, other: Connection): boolean {
  if (!other.invisible || other === viewer || viewer.isOper) return true;
  for (const channel of context.registry.channelsOf(viewer)) if (channel.members.has(other)) return true;
  return false;
}

function local(context: ServerContext, member: Connection, channel: string, status: string): WhoEntry {
  return {
    channel,
    user: member.user ?? '*',
    host: member.host,
    server: context.info.name,
    nick: member.target,
    away: member.away !== undefined,
    oper: member.isOper,
    bot: member.bot,
    status,
    hops: 0,
    idleSeconds: Math.max(0, Math.floor((context.clock.now() - member.lastSpoke) / 1000)),
    realname: member.realname,
    account: member.account,
  };
}

/** Users on other servers: one hop away, on their own server. */
function remote(user: RemoteUser, channel: string, status: string): WhoEntry {
  const { nick, host, server, realname } = user;
  return {
    channel,
    user: user.user,
    host,
    server,
    nick,
    away: user.away !== undefined,
    oper: user.isOper,
    bot: false,
    status,
    hops: 1,
    idleSeconds: 0,
    realname,
    account: user.account,
  };
}

function reply(context: ServerContext, to: Connection, entry: WhoEntry, options: WhoOptions): void {
  const flags = `${entry.away ? 'G' : 'H'}${entry.oper ? '*' : ''}${entry.bot ? 'B' : ''}${entry.status}`;
  if (options.whox === undefined) {
    const { channel, user, host, server, nick, hops, realname } = entry;
    return context.reply(to, RPL.WHOREPLY, channel, user, host, server, nick, flags, `${hops} ${realname}`);
  }
  const values: Record<string, string> = {
    t: options.whox.token,
    c: entry.channel,
    u: entry.user,
    i: entry.host,
    h: entry.host,
    s: entry.server,
    n: entry.nick,
    f: flags,
    d: String(entry.hops),
    l: String(entry.idleSeconds),
    // 0 for no account, and no op levels (n/a), as WHOX says for those.
    a: entry.account ?? '0',
    o: 'n/a',
    r: entry.realname,
  };
  context.reply(to, RPL.WHOSPCRPL, ...options.whox.fields.map((field) => values[field] ?? ''));
}
