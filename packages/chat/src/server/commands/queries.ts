import { AWAY_MAX, truncateUtf8 } from '../../protocol/isupport.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import type { RemoteUser } from '../network.js';
import type { Outgoing } from '../outgoing.js';

export const ping: Handler = (context, connection, params) => {
  connection.send(context.server('PONG', context.info.name, params[0] ?? ''));
};

// Activity was already recorded when the line arrived; that is all a PONG does.
export const pong: Handler = () => undefined;

/** Also tells channel peers with `away-notify` of a change (the user hears 305/306 instead). */
export const away: Handler = (context, connection, params) => {
  const text = truncateUtf8(params[0] ?? '', AWAY_MAX);
  const before = connection.away;
  connection.away = text === '' ? undefined : text;
  if (text === '') context.reply(connection, RPL.UNAWAY, 'You are no longer marked as being away');
  else context.reply(connection, RPL.NOWAWAY, 'You have been marked as being away');
  // Peers hear of a change only: setting the same message again, or coming back twice, is none.
  if (connection.registered && connection.away !== before) {
    context.delivery.toNeighbours(connection, awayNotification(context, connection), false);
  }
};

/** `:nick!user@host AWAY :why`, or bare `AWAY` when back; only `away-notify` readers get an AWAY (outgoing.ts). */
export function awayNotification(context: ServerContext, connection: Connection): Outgoing {
  return context.from(connection, 'AWAY', ...(connection.away === undefined ? [] : [connection.away]));
}

function remoteWhois(context: ServerContext, to: Connection, user: RemoteUser): void {
  context.reply(to, RPL.WHOISUSER, user.nick, user.user, user.host, '*', user.realname);
  const channels = [...user.channels.values()].map((c) => `${c.op ? '@' : ''}${c.name}`);
  if (channels.length > 0) context.reply(to, RPL.WHOISCHANNELS, user.nick, channels.join(' '));
  // Servers do not tell each other their descriptions; every one starts as the default.
  context.reply(to, RPL.WHOISSERVER, user.nick, user.server, 'quartet chat');
  if (user.away !== undefined) context.reply(to, RPL.AWAY, user.nick, user.away);
  if (user.account !== undefined) context.reply(to, RPL.WHOISACCOUNT, user.nick, user.account, 'is logged in as');
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
  context.reply(connection, RPL.WHOISUSER, name, target.user ?? '*', target.host, '*', target.realname);
  // Secret channels (+s) only to those who are in them too.
  const channels = [...context.registry.channelsOf(target)]
    .filter((c) => c.visibleTo(connection))
    .map((c) => `${c.prefixOf(target, connection.caps.has('multi-prefix'))}${c.name}`);
  if (channels.length > 0) context.reply(connection, RPL.WHOISCHANNELS, name, channels.join(' '));
  context.reply(connection, RPL.WHOISSERVER, name, context.info.name, context.info.description);
  if (target.away) context.reply(connection, RPL.AWAY, name, target.away);
  if (target.isOper) context.reply(connection, RPL.WHOISOPERATOR, name, 'is an IRC operator');
  if (target.account !== undefined)
    context.reply(connection, RPL.WHOISACCOUNT, name, target.account, 'is logged in as');
  if (target.bot) context.reply(connection, RPL.WHOISBOT, name, 'is a bot');
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
    .map((c) => `${c.target}${c.isOper ? '*' : ''}=${c.away ? '-' : '+'}${c.user ?? '*'}@${c.host}`);
  context.reply(connection, RPL.USERHOST, replies.join(' '));
};
