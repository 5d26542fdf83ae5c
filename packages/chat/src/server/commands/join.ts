import { isValidChannel } from '../../protocol/casemap.js';
import { CHANNELS_PER_USER_MAX } from '../../protocol/isupport.js';
import { ERR } from '../../protocol/numerics.js';
import type { Channel } from '../channel.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import { sendNames, sendTopic } from './channels.js';
import { awayNotification } from './queries.js';

/** `JOIN #a,#b [key_a,key_b]`, or `JOIN 0` to leave every channel (RFC 2812 §3.2.1). */
export const join: Handler = (context, connection, params) => {
  const names = (params[0] ?? '').split(',');
  const keys = (params[1] ?? '').split(',');
  if (names.length === 1 && names[0] === '0') {
    for (const channel of [...context.registry.channelsOf(connection)])
      partOne(context, connection, channel, 'Left all channels');
    return;
  }
  names.forEach((name, index) => {
    if (!isValidChannel(name)) return context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
    const existing = context.registry.findChannel(name);
    if (existing?.members.has(connection)) return;
    // The limit is per channel type (`CHANLIMIT=#:50,&:50`): local channels do not use up network ones.
    const sameType = [...context.registry.channelsOf(connection)].filter((c) => c.name[0] === name[0]);
    if (sameType.length >= CHANNELS_PER_USER_MAX) {
      return context.reply(connection, ERR.TOOMANYCHANNELS, name, 'You have joined too many channels');
    }
    const refused = existing && refusal(context, connection, existing, keys[index]);
    if (refused) return context.reply(connection, refused[0], existing.name, refused[1]);
    const channel = context.registry.join(name, connection, context.clock.now());
    if (connection.mode === 'plain') connection.currentChannel = channel.name;
    // extended-join: readers without the capability get `JOIN #chan` alone (outgoing.ts).
    const account = connection.account ?? '*';
    context.delivery.toChannel(channel, context.from(connection, 'JOIN', channel.name, account, connection.realname));
    // away-notify: peers learn at once that the newcomer is away, without a WHO.
    if (connection.away !== undefined) {
      context.delivery.toChannel(channel, awayNotification(context, connection), connection);
    }
    if (channel.topic) sendTopic(context, connection, channel);
    sendNames(context, connection, channel);
    context.history?.replay(context.server, connection, channel);
  });
};

/**
 * Why the connection may not join, as the numeric and its text; undefined to let them in. An invite (used up by
 * the join) lets a user past +i, +l and bans, not past a key (Modern IRC); an invite exception (+I) past +i only;
 * a server operator past bans.
 */
function refusal(
  context: ServerContext,
  connection: Connection,
  channel: Channel,
  key: string | undefined,
): readonly [string, string] | undefined {
  const invited = context.registry.isInvited(connection, channel);
  if (!invited && !connection.isOper && channel.isBanned(connection)) {
    return [ERR.BANNEDFROMCHAN, 'Cannot join channel (+b)'];
  }
  if (channel.flags.i && !invited && !channel.isInviteException(connection)) {
    return [ERR.INVITEONLYCHAN, 'Cannot join channel (+i)'];
  }
  if (channel.joinKey !== undefined && key !== channel.joinKey) return [ERR.BADCHANNELKEY, 'Cannot join channel (+k)'];
  if (channel.limit !== undefined && channel.members.size >= channel.limit && !invited) {
    return [ERR.CHANNELISFULL, 'Cannot join channel (+l)'];
  }
  return undefined;
}

export const part: Handler = (context, connection, params) => {
  for (const name of (params[0] ?? '').split(',')) {
    const channel = context.registry.findChannel(name);
    if (!channel) context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
    else if (!channel.members.has(connection)) {
      context.reply(connection, ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
    } else partOne(context, connection, channel, params[1]);
  }
};

function partOne(context: ServerContext, connection: Connection, channel: Channel, reason: string | undefined): void {
  const params = reason ? [channel.name, reason] : [channel.name];
  context.delivery.toChannel(channel, context.from(connection, 'PART', ...params));
  context.registry.leave(channel, connection);
}
