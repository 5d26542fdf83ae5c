import { ERR, RPL } from '../../protocol/numerics.js';
import { RANK_OP } from '../channel.js';
import type { Handler } from '../context.js';

/**
 * `INVITE nick #chan` (Modern IRC): the inviter must be on the channel, and its operator when it is +i. The target
 * gets an INVITE from the inviter and the inviter 341; operators of the channel with `invite-notify` see the
 * INVITE too, nobody else hears of it. The invite lets the target past +i,
 * +l and bans at their next JOIN of that channel. `INVITE` alone lists the channels one is invited to (336, 337).
 */
export const invite: Handler = (context, connection, params) => {
  if (params.length === 0) {
    for (const channel of context.registry.invitesOf(connection)) {
      context.reply(connection, RPL.INVITELIST, channel.name);
    }
    return context.reply(connection, RPL.ENDOFINVITELIST, 'End of /INVITE list');
  }
  if (params.length < 2) return context.reply(connection, ERR.NEEDMOREPARAMS, 'INVITE', 'Not enough parameters');
  const [nick = '', name = ''] = params;
  const local = context.registry.findNick(nick);
  const target = local?.registered ? local : undefined;
  const remote = local ? undefined : context.network?.findUser(nick);
  if (!target && !remote) return context.reply(connection, ERR.NOSUCHNICK, nick, 'No such nick/channel');
  const channel = context.registry.findChannel(name);
  if (!channel) return context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
  const membership = channel.members.get(connection);
  if (!membership) return context.reply(connection, ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
  if (channel.flags.i && !membership.op) {
    return context.reply(connection, ERR.CHANOPRIVSNEEDED, channel.name, "You're not channel operator");
  }
  const targetNick = target?.target ?? remote!.nick;
  if (target ? channel.members.has(target) : remote!.channels.has(channel.key)) {
    return context.reply(connection, ERR.USERONCHANNEL, targetNick, channel.name, 'is already on channel');
  }
  context.reply(connection, RPL.INVITING, targetNick, channel.name);
  const invitation = context.from(connection, 'INVITE', targetNick, channel.name);
  // invite-notify: the channel's operators (who may invite themselves, even on +i) with the capability hear of it.
  const notification = context.outgoing(invitation.message, 'invite-notify');
  context.delivery.toChannel(channel, notification, connection, RANK_OP);
  if (target) {
    context.registry.invite(target, channel);
    context.delivery.toConnection(target, invitation);
    if (target.away) context.reply(connection, RPL.AWAY, targetNick, target.away);
  } else {
    // Channel modes are per server: the user hears of the invite, and their own server's copy of the channel decides.
    context.network?.sendPrivate(remote!, invitation);
  }
  context.log.info({ event: 'invite', by: connection.target, nick: targetNick, channel: channel.name }, 'invite');
};
