import { foldCase, isLocalChannel } from '../protocol/casemap.js';
import { prefixNick } from '../protocol/message.js';
import { applyBan, applyMute, applyUnmute } from '../server/commands/moderation.js';
import { RANK_OP, statusTarget } from '../server/channel.js';
import type { Connection } from '../server/connection.js';
import type { ServerContext } from '../server/context.js';
import type { Delivery } from '../server/delivery.js';
import type { RemoteUser } from '../server/network.js';
import { Outgoing } from '../server/outgoing.js';
import type { RemoteDirectory } from './directory.js';
import type { NetworkEvent } from './events.js';

/**
 * What another server's event does here. Lines go to local members only
 * (`local` delivery), never back to the network, so nothing echoes.
 */
export function applyEvent(
  context: ServerContext,
  local: Delivery,
  directory: RemoteDirectory,
  event: NetworkEvent,
): void {
  switch (event.t) {
    case 'up':
      return directory.upsert(event.node, event.server, event.user);
    case 'state':
      directory.dropNode(event.node);
      for (const user of event.users) directory.upsert(event.node, event.server, user);
      return;
    case 'chan':
      return channelEvent(context, local, directory, event);
    case 'user': {
      const user = directory.find(event.nick);
      if (!user) return;
      toNeighbours(context, local, user, new Outgoing(event.message, event.at));
      const { command, params } = event.message;
      if (command === 'NICK') directory.rename(user.nick, params[0] ?? user.nick);
      else if (command === 'SETNAME') directory.setRealname(user.nick, params[0] ?? user.realname);
      else if (command === 'AWAY') directory.setAway(user.nick, params[0]);
      else if (command === 'ACCOUNT') directory.setAccount(user.nick, params[0] ?? '*');
      else if (command === 'CHGHOST') directory.setHost(user.nick, params[0] ?? user.user, params[1] ?? user.host);
      else if (command === 'QUIT') directory.remove(user.nick);
      return;
    }
    case 'pm': {
      const target = context.registry.findNick(event.to);
      if (target?.registered) local.toConnection(target, new Outgoing(event.message, event.at));
      return;
    }
    case 'kill': {
      const target = context.registry.findNick(event.nick);
      if (!target?.registered) return;
      const by = prefixNick(event.by);
      target.send(context.outgoing({ prefix: event.by, command: 'KILL', params: [target.target, event.comment] }));
      context.log.info({ event: 'kill', by, nick: target.target, reason: event.comment, from: event.node }, 'kill');
      return context.disconnect(target, `Killed (${by} (${event.comment}))`);
    }
    case 'ban':
      context.log.info({ event: 'ban', by: event.ban.setBy, mask: event.ban.mask, from: event.node }, 'ban');
      return applyBan(context, event.ban);
    case 'unban':
      context.log.info({ event: 'unban', mask: event.mask, from: event.node }, 'unban');
      context.moderation.unban(event.mask);
      return;
    case 'mute':
      context.log.info({ event: 'mute', by: event.mute.setBy, nick: event.mute.nick, from: event.node }, 'mute');
      return applyMute(context, event.mute);
    case 'unmute':
      context.log.info({ event: 'unmute', nick: event.nickKey, from: event.node }, 'unmute');
      applyUnmute(context, event.nickKey);
      return;
    case 'hello':
    case 'alive':
    case 'bye':
      return; // liveness: handled by the network itself
  }
}

/** A remote server is gone (or restarted): its users quit, as far as anyone here can see. */
export function dropNode(
  context: ServerContext,
  local: Delivery,
  directory: RemoteDirectory,
  node: string,
  reason: string,
): number {
  const gone = directory.dropNode(node);
  const now = context.clock.now();
  for (const user of gone) {
    const prefix = `${user.nick}!${user.user}@${user.host}`;
    toNeighbours(context, local, user, new Outgoing({ prefix, command: 'QUIT', params: [reason] }, now));
  }
  return gone.length;
}

function channelEvent(
  context: ServerContext,
  local: Delivery,
  directory: RemoteDirectory,
  event: Extract<NetworkEvent, { t: 'chan' }>,
): void {
  const { message } = event;
  // `&` channels are local; a server never publishes them, and one that did is not listened to.
  if (isLocalChannel(event.channel)) return;
  const key = foldCase(event.channel);
  const channel = context.registry.findChannel(event.channel);
  const outgoing = new Outgoing(message, event.at);
  const nick = prefixNick(message.prefix);
  if (message.command === 'JOIN') {
    directory.joinByPrefix(event.node, event.server, message.prefix ?? '', event.channel, event.op === true);
  }
  // An INVITE reaches the channel's operators here with invite-notify, as it did on the inviter's server.
  if (message.command === 'INVITE') {
    if (channel) local.toChannel(channel, new Outgoing(message, event.at, 'invite-notify'), undefined, RANK_OP);
    return;
  }
  // STATUSMSG (`@#chan`) reaches only members of that rank here, as ranks stand on this server, and is not history.
  const status = statusTarget(message.params[0] ?? '');
  if (channel) local.toChannel(channel, outgoing, undefined, status?.rank);
  switch (message.command) {
    case 'PRIVMSG':
    case 'NOTICE':
      if (status === undefined) context.history?.record(key, outgoing);
      return;
    case 'PART':
      return directory.part(nick, key);
    case 'KICK': {
      const target = message.params[1] ?? '';
      const member = context.registry.findNick(target);
      if (channel && member && channel.members.has(member)) context.registry.leave(channel, member);
      else directory.part(target, key);
      return;
    }
    case 'TOPIC':
      if (channel) {
        const text = message.params[1] ?? '';
        channel.topic = text === '' ? undefined : { text, setBy: message.prefix ?? '', setAt: event.at };
      }
      return;
  }
}

/** Everyone here who shares a channel with a remote user, once each. */
function toNeighbours(context: ServerContext, local: Delivery, user: RemoteUser, outgoing: Outgoing): void {
  const seen = new Set<Connection>();
  for (const key of user.channels.keys()) {
    const channel = context.registry.findChannel(key);
    if (!channel) continue;
    for (const member of channel.members.keys()) {
      if (seen.has(member)) continue;
      seen.add(member);
      local.toConnection(member, outgoing);
    }
  }
}
