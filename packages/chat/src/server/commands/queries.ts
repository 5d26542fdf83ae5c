import { foldCase, isChannelName } from '../../protocol/casemap.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import type { Channel } from '../channel.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import type { RemoteUser } from '../network.js';

export const ping: Handler = (context, connection, params) => {
  connection.send(context.server('PONG', context.info.name, params[0] ?? ''));
};

// Activity was already recorded when the line arrived; that is all a PONG does.
export const pong: Handler = () => undefined;

export const away: Handler = (context, connection, params) => {
  const text = (params[0] ?? '').slice(0, 200);
  connection.away = text === '' ? undefined : text;
  if (text === '') context.reply(connection, RPL.UNAWAY, 'You are no longer marked as being away');
  else context.reply(connection, RPL.NOWAWAY, 'You have been marked as being away');
};

export const who: Handler = (context, connection, params) => {
  const mask = params[0] ?? '*';
  if (isChannelName(mask)) {
    const channel = context.registry.findChannel(mask);
    if (channel) for (const member of channel.members.keys()) whoReply(context, connection, member, channel);
    for (const remote of context.network?.usersIn(foldCase(mask)) ?? [])
      remoteWhoReply(context, connection, remote, mask);
  } else {
    const target = context.registry.findNick(mask);
    if (target?.registered) whoReply(context, connection, target, undefined);
    const remote = target ? undefined : context.network?.findUser(mask);
    if (remote) remoteWhoReply(context, connection, remote, undefined);
  }
  context.reply(connection, RPL.ENDOFWHO, mask, 'End of WHO list');
};

function whoReply(context: ServerContext, to: Connection, member: Connection, channel: Channel | undefined): void {
  const flags = `${member.away ? 'G' : 'H'}${member.isOper ? '*' : ''}${channel?.isOp(member) ? '@' : ''}`;
  const where = channel?.name ?? '*';
  const { user = '*', ip, target, realname } = member;
  context.reply(to, RPL.WHOREPLY, where, user, ip, context.info.name, target, flags, `0 ${realname}`);
}

/** Users on other servers: hop count 1, their own server's name. */
function remoteWhoReply(context: ServerContext, to: Connection, user: RemoteUser, channel: string | undefined): void {
  const membership = channel === undefined ? undefined : user.channels.get(foldCase(channel));
  const flags = `H${user.isOper ? '*' : ''}${membership?.op ? '@' : ''}`;
  const where = membership?.name ?? '*';
  context.reply(to, RPL.WHOREPLY, where, user.user, user.host, user.server, user.nick, flags, `1 ${user.realname}`);
}

function remoteWhois(context: ServerContext, to: Connection, user: RemoteUser): void {
  context.reply(to, RPL.WHOISUSER, user.nick, user.user, user.host, '*', user.realname);
  const channels = [...user.channels.values()].map((c) => `${c.op ? '@' : ''}${c.name}`);
  if (channels.length > 0) context.reply(to, RPL.WHOISCHANNELS, user.nick, channels.join(' '));
  context.reply(to, RPL.WHOISSERVER, user.nick, user.server, 'quartet chat');
  if (user.isOper) context.reply(to, RPL.WHOISOPERATOR, user.nick, 'is an IRC operator');
  context.reply(to, RPL.ENDOFWHOIS, user.nick, 'End of /WHOIS list');
}

export const whois: Handler = (context, connection, params) => {
  // WHOIS [server] nick: the nick is the last parameter.
  const nick = (params[params.length - 1] ?? '').split(',')[0] ?? '';
  const target = context.registry.findNick(nick);
  const remote = target ? undefined : context.network?.findUser(nick);
  if (remote) return remoteWhois(context, connection, remote);
  if (!target?.registered) {
    context.reply(connection, ERR.NOSUCHNICK, nick, 'No such nick/channel');
    return context.reply(connection, RPL.ENDOFWHOIS, nick, 'End of /WHOIS list');
  }
  const name = target.target;
  context.reply(connection, RPL.WHOISUSER, name, target.user ?? '*', target.ip, '*', target.realname);
  // Secret channels (+s) only to those who are in them too.
  const channels = [...context.registry.channelsOf(target)]
    .filter((c) => c.visibleTo(connection))
    .map((c) => `${c.prefixOf(target)}${c.name}`);
  if (channels.length > 0) context.reply(connection, RPL.WHOISCHANNELS, name, channels.join(' '));
  context.reply(connection, RPL.WHOISSERVER, name, context.info.name, 'quartet chat');
  if (target.away) context.reply(connection, RPL.AWAY, name, target.away);
  if (target.isOper) context.reply(connection, RPL.WHOISOPERATOR, name, 'is an IRC operator');
  const idle = Math.floor((context.clock.now() - target.lastSpoke) / 1000);
  const signon = Math.floor(target.connectedAt / 1000);
  context.reply(connection, RPL.WHOISIDLE, name, String(idle), String(signon), 'seconds idle, signon time');
  context.reply(connection, RPL.ENDOFWHOIS, name, 'End of /WHOIS list');
};

export const ison: Handler = (context, connection, params) => {
  const present = params
    .flatMap((p) => p.split(' '))
    .map((n) => {
      const local = context.registry.findNick(n);
      return local?.registered ? local.target : local ? undefined : context.network?.findUser(n)?.nick;
    })
    .filter((nick): nick is string => nick !== undefined);
  context.reply(connection, RPL.ISON, present.join(' '));
};

export const userhost: Handler = (context, connection, params) => {
  const replies = params
    .slice(0, 5)
    .map((n) => context.registry.findNick(n))
    .filter((c): c is Connection => c?.registered === true)
    .map((c) => `${c.target}${c.isOper ? '*' : ''}=${c.away ? '-' : '+'}${c.user ?? '*'}@${c.ip}`);
  context.reply(connection, RPL.USERHOST, replies.join(' '));
};
