import { KICK_REASON_MAX, TARGETS_MAX, truncateUtf8 } from '../../protocol/isupport.js';
import { ERR } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

/**
 * `KICK #chan nick[,nick…] [reason]`, or pairs `KICK #a,#b nick_a,nick_b` (RFC 2812 §3.2.8): one KICK line per user
 * either way. Up to TARGMAX targets; the reason defaults to the kicker's nick and is cut to KICKLEN.
 */
export const kick: Handler = (context, connection, params) => {
  const channels = (params[0] ?? '').split(',');
  const nicks = (params[1] ?? '').split(',');
  if (channels.length !== 1 && channels.length !== nicks.length) {
    return context.reply(connection, ERR.NEEDMOREPARAMS, 'KICK', 'Not enough parameters');
  }
  const reason = truncateUtf8(params[2] || connection.target, KICK_REASON_MAX);
  nicks.slice(0, TARGETS_MAX).forEach((nick, index) => {
    kickOne(context, connection, channels[channels.length === 1 ? 0 : index] ?? '', nick, reason);
  });
};

function kickOne(context: ServerContext, connection: Connection, name: string, nick: string, reason: string): void {
  const channel = context.registry.findChannel(name);
  if (!channel) return context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
  if (!connection.isOper) {
    if (!channel.members.has(connection)) {
      return context.reply(connection, ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
    }
    if (!channel.isOp(connection)) {
      return context.reply(connection, ERR.CHANOPRIVSNEEDED, channel.name, "You're not channel operator");
    }
  }
  const target = context.registry.findNick(nick);
  const remote = target ? undefined : context.network?.findUser(nick);
  if (remote) {
    if (!remote.channels.has(channel.key)) {
      return context.reply(connection, ERR.USERNOTINCHANNEL, remote.nick, channel.name, "They aren't on that channel");
    }
    context.delivery.toChannel(channel, context.from(connection, 'KICK', channel.name, remote.nick, reason));
    context.network?.kicked(remote, channel.key);
    context.log.info(
      { event: 'kick', by: connection.target, nick: remote.nick, channel: channel.name, reason },
      'kick',
    );
    return;
  }
  if (!target?.registered) return context.reply(connection, ERR.NOSUCHNICK, nick, 'No such nick/channel');
  if (!channel.members.has(target)) {
    return context.reply(connection, ERR.USERNOTINCHANNEL, target.target, channel.name, "They aren't on that channel");
  }
  context.delivery.toChannel(channel, context.from(connection, 'KICK', channel.name, target.target, reason));
  context.registry.leave(channel, target);
  context.log.info(
    { event: 'kick', by: connection.target, nick: target.target, channel: channel.name, reason },
    'kick',
  );
}
