import { TOPIC_MAX, truncateUtf8 } from '../../protocol/isupport.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import { statusPrefix, type Channel } from '../channel.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

/** NAMES for the channels named, or the caller's own; a secret channel (+s) only for its members. */
export const names: Handler = (context, connection, params) => {
  const wanted = params[0] ? params[0].split(',') : [...context.registry.channelsOf(connection)].map((c) => c.name);
  for (const name of wanted) {
    const channel = context.registry.findChannel(name);
    if (channel?.visibleTo(connection)) sendNames(context, connection, channel);
    else context.reply(connection, RPL.ENDOFNAMES, name, 'End of /NAMES list');
  }
  if (wanted.length === 0) context.reply(connection, RPL.ENDOFNAMES, '*', 'End of /NAMES list');
};

/**
 * 353 lines (`@` for a secret channel, `=` otherwise) kept under 512 bytes however big the channel is, then 366.
 * A channel whose members are all hidden from the viewer gets the 366 alone.
 */
export function sendNames(context: ServerContext, connection: Connection, channel: Channel): void {
  const room = 400 - channel.name.length - connection.target.length - context.info.name.length;
  const symbol = channel.flags.s ? '@' : '=';
  let line = '';
  // IRCv3 multi-prefix: every status of a member (`@+bob`); userhost-in-names: `bob!bob@host` instead of `bob`.
  const all = connection.caps.has('multi-prefix');
  const full = connection.caps.has('userhost-in-names');
  // Invisible users (+i) are listed to the channel's members only, as in WHO #channel.
  const seesAll = channel.members.has(connection) || connection.isOper;
  const entries: string[] = [];
  for (const [member, membership] of channel.members) {
    if (!seesAll && member.invisible) continue;
    entries.push(`${statusPrefix(membership, all)}${full ? member.prefix : member.target}`);
  }
  for (const remote of context.network?.usersIn(channel.key) ?? []) {
    const name = full ? `${remote.nick}!${remote.user}@${remote.host}` : remote.nick;
    entries.push(`${remote.channels.get(channel.key)?.op ? '@' : ''}${name}`);
  }
  for (const entry of entries) {
    if (line !== '' && line.length + 1 + entry.length > room) {
      context.reply(connection, RPL.NAMREPLY, symbol, channel.name, line);
      line = '';
    }
    line = line === '' ? entry : `${line} ${entry}`;
  }
  if (line !== '') context.reply(connection, RPL.NAMREPLY, symbol, channel.name, line);
  context.reply(connection, RPL.ENDOFNAMES, channel.name, 'End of /NAMES list');
}

/** TOPIC: read it (331, or 332 and 333), or set it: members may, and under +t only channel operators. */
export const topic: Handler = (context, connection, params) => {
  const channel = context.registry.findChannel(params[0] ?? '');
  if (!channel) return context.reply(connection, ERR.NOSUCHCHANNEL, params[0] ?? '', 'No such channel');
  if (params.length < 2 && channel.visibleTo(connection)) {
    if (channel.topic) return sendTopic(context, connection, channel);
    return context.reply(connection, RPL.NOTOPIC, channel.name, 'No topic is set');
  }
  if (!channel.members.has(connection)) {
    return context.reply(connection, ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
  }
  if (channel.flags.t && !channel.isOp(connection) && !connection.isOper) {
    return context.reply(connection, ERR.CHANOPRIVSNEEDED, channel.name, "You're not channel operator");
  }
  const text = truncateUtf8(params[1] ?? '', TOPIC_MAX);
  channel.topic = text === '' ? undefined : { text, setBy: connection.prefix, setAt: context.clock.now() };
  context.delivery.toChannel(channel, context.from(connection, 'TOPIC', channel.name, text));
};

export function sendTopic(context: ServerContext, connection: Connection, channel: Channel): void {
  const { text, setBy, setAt } = channel.topic!;
  context.reply(connection, RPL.TOPIC, channel.name, text);
  context.reply(connection, RPL.TOPICWHOTIME, channel.name, setBy, String(Math.floor(setAt / 1000)));
}
