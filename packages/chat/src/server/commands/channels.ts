import { isValidChannel } from '../../protocol/casemap.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import type { Channel } from '../channel.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

/** Advertised as CHANLIMIT in 005; it bounds what one connection can make the server hold. */
const MAX_CHANNELS_PER_USER = 50;

export const join: Handler = (context, connection, params) => {
  const names = (params[0] ?? '').split(',');
  if (names.length === 1 && names[0] === '0') {
    // JOIN 0 leaves every channel (RFC 2812 §3.2.1).
    for (const channel of [...context.registry.channelsOf(connection)])
      partOne(context, connection, channel, 'Left all channels');
    return;
  }
  for (const name of names) {
    if (!isValidChannel(name)) {
      context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
      continue;
    }
    const existing = context.registry.findChannel(name);
    if (existing?.members.has(connection)) continue;
    if (context.registry.channelsOf(connection).size >= MAX_CHANNELS_PER_USER) {
      context.reply(connection, ERR.TOOMANYCHANNELS, name, 'You have joined too many channels');
      continue;
    }
    if (existing?.isBanned(connection) && !connection.isOper) {
      context.reply(connection, ERR.BANNEDFROMCHAN, existing.name, 'Cannot join channel (+b)');
      continue;
    }
    const channel = context.registry.join(name, connection, context.clock.now());
    if (connection.mode === 'plain') connection.currentChannel = channel.name;
    context.delivery.toChannel(channel, context.from(connection, 'JOIN', channel.name));
    if (channel.topic) sendTopic(context, connection, channel);
    sendNames(context, connection, channel);
    context.history?.replay(context.server, connection, channel);
  }
};

export const part: Handler = (context, connection, params) => {
  for (const name of (params[0] ?? '').split(',')) {
    const channel = memberChannel(context, connection, name);
    if (channel) partOne(context, connection, channel, params[1]);
  }
};

function partOne(context: ServerContext, connection: Connection, channel: Channel, reason: string | undefined): void {
  const params = reason ? [channel.name, reason] : [channel.name];
  context.delivery.toChannel(channel, context.from(connection, 'PART', ...params));
  context.registry.leave(channel, connection);
}

export const names: Handler = (context, connection, params) => {
  const wanted = params[0] ? params[0].split(',') : [...context.registry.channelsOf(connection)].map((c) => c.name);
  for (const name of wanted) {
    const channel = context.registry.findChannel(name);
    if (channel) sendNames(context, connection, channel);
    else context.reply(connection, RPL.ENDOFNAMES, name, 'End of /NAMES list');
  }
  if (wanted.length === 0) context.reply(connection, RPL.ENDOFNAMES, '*', 'End of /NAMES list');
};

/** 353 lines kept under 512 bytes however big the channel is, then 366. */
function sendNames(context: ServerContext, connection: Connection, channel: Channel): void {
  const room = 400 - channel.name.length - connection.target.length - context.info.name.length;
  let line = '';
  const entries = channel.names().split(' ');
  for (const remote of context.network?.usersIn(channel.key) ?? []) {
    entries.push(`${remote.channels.get(channel.key)?.op ? '@' : ''}${remote.nick}`);
  }
  for (const entry of entries) {
    if (line !== '' && line.length + 1 + entry.length > room) {
      context.reply(connection, RPL.NAMREPLY, '=', channel.name, line);
      line = '';
    }
    line = line === '' ? entry : `${line} ${entry}`;
  }
  if (line !== '') context.reply(connection, RPL.NAMREPLY, '=', channel.name, line);
  context.reply(connection, RPL.ENDOFNAMES, channel.name, 'End of /NAMES list');
}

export const topic: Handler = (context, connection, params) => {
  const channel = context.registry.findChannel(params[0] ?? '');
  if (!channel) return context.reply(connection, ERR.NOSUCHCHANNEL, params[0] ?? '', 'No such channel');
  if (params.length < 2) {
    if (channel.topic) return sendTopic(context, connection, channel);
    return context.reply(connection, RPL.NOTOPIC, channel.name, 'No topic is set');
  }
  if (!channel.members.has(connection)) {
    return context.reply(connection, ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
  }
  // +t is always on: only channel operators set the topic.
  if (!channel.isOp(connection) && !connection.isOper) {
    return context.reply(connection, ERR.CHANOPRIVSNEEDED, channel.name, "You're not channel operator");
  }
  const text = (params[1] ?? '').slice(0, 390);
  channel.topic = text === '' ? undefined : { text, setBy: connection.prefix, setAt: context.clock.now() };
  context.delivery.toChannel(channel, context.from(connection, 'TOPIC', channel.name, text));
};

function sendTopic(context: ServerContext, connection: Connection, channel: Channel): void {
  const { text, setBy, setAt } = channel.topic!;
  context.reply(connection, RPL.TOPIC, channel.name, text);
  context.reply(connection, RPL.TOPICWHOTIME, channel.name, setBy, String(Math.floor(setAt / 1000)));
}

export const list: Handler = (context, connection, params) => {
  const wanted = params[0] ? new Set(params[0].split(',').map((n) => context.registry.findChannel(n))) : undefined;
  context.reply(connection, RPL.LISTSTART, 'Channel', 'Users  Name');
  for (const channel of context.registry.channels()) {
    if (wanted && !wanted.has(channel)) continue;
    context.reply(connection, RPL.LIST, channel.name, String(channel.members.size), channel.topic?.text ?? '');
  }
  context.reply(connection, RPL.LISTEND, 'End of /LIST');
};

export const kick: Handler = (context, connection, params) => {
  const channel = context.registry.findChannel(params[0] ?? '');
  if (!channel) return context.reply(connection, ERR.NOSUCHCHANNEL, params[0] ?? '', 'No such channel');
  if (!connection.isOper) {
    if (!channel.members.has(connection)) {
      return context.reply(connection, ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
    }
    if (!channel.isOp(connection)) {
      return context.reply(connection, ERR.CHANOPRIVSNEEDED, channel.name, "You're not channel operator");
    }
  }
  const reason = (params[2] || connection.target).slice(0, 390);
  for (const nick of (params[1] ?? '').split(',')) {
    const target = context.registry.findNick(nick);
    const remote = target ? undefined : context.network?.findUser(nick);
    if (remote) {
      if (!remote.channels.has(channel.key)) {
        context.reply(connection, ERR.USERNOTINCHANNEL, remote.nick, channel.name, "They aren't on that channel");
        continue;
      }
      context.delivery.toChannel(channel, context.from(connection, 'KICK', channel.name, remote.nick, reason));
      context.network?.kicked(remote, channel.key);
      context.log.info(
        { event: 'kick', by: connection.target, nick: remote.nick, channel: channel.name, reason },
        'kick',
      );
      continue;
    }
    if (!target?.registered) {
      context.reply(connection, ERR.NOSUCHNICK, nick, 'No such nick/channel');
      continue;
    }
    if (!channel.members.has(target)) {
      context.reply(connection, ERR.USERNOTINCHANNEL, target.target, channel.name, "They aren't on that channel");
      continue;
    }
    context.delivery.toChannel(channel, context.from(connection, 'KICK', channel.name, target.target, reason));
    context.registry.leave(channel, target);
    context.log.info(
      { event: 'kick', by: connection.target, nick: target.target, channel: channel.name, reason },
      'kick',
    );
  }
};

/** The channel named, if it exists and the connection is in it; otherwise the error reply is sent. */
function memberChannel(context: ServerContext, connection: Connection, name: string): Channel | undefined {
  const channel = context.registry.findChannel(name);
  if (!channel) {
    context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
    return undefined;
  }
  if (!channel.members.has(connection)) {
    context.reply(connection, ERR.NOTONCHANNEL, channel.name, "You're not on that channel");
    return undefined;
  }
  return channel;
}
