import { isChannelName } from '../../protocol/casemap.js';
import { TARGETS_MAX } from '../../protocol/isupport.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import { statusTarget } from '../channel.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import { userMessageTags } from '../message-tags.js';
import type { Outgoing } from '../outgoing.js';

type Tags = Readonly<Record<string, string>> | undefined;

export const privmsg: Handler = (context, connection, params, tags) =>
  deliver(context, connection, params, 'PRIVMSG', tags);

export const notice: Handler = (context, connection, params, tags) =>
  deliver(context, connection, params, 'NOTICE', tags);

/** `TAGMSG target` (IRCv3 message-tags): only tags, for those with `message-tags`; a client without it has no TAGMSG. */
export const tagmsg: Handler = (context, connection, params, tags) => {
  if (!connection.caps.has('message-tags')) {
    return context.reply(connection, ERR.UNKNOWNCOMMAND, 'TAGMSG', 'Unknown command');
  }
  deliver(context, connection, params, 'TAGMSG', tags);
};

/**
 * NOTICE never gets an error back (RFC 2812 §3.3.2), so that bots cannot loop on each other. Every copy of one
 * message (each target, each recipient, the echo, other servers) carries the same tags, `msgid` among them.
 */
function deliver(
  context: ServerContext,
  connection: Connection,
  params: readonly string[],
  command: string,
  clientTags: Tags,
): void {
  const quiet = command === 'NOTICE';
  const fail = (numeric: string, ...args: string[]) => {
    if (!quiet) context.reply(connection, numeric, ...args);
  };
  const targets = params[0] ?? '';
  const text = params[1] ?? '';
  const hasText = command !== 'TAGMSG';
  if (targets === '') return fail(ERR.NORECIPIENT, `No recipient given (${command})`);
  if (hasText && text === '') return fail(ERR.NOTEXTTOSEND, 'No text to send');
  if (command === 'PRIVMSG') connection.lastSpoke = context.clock.now();
  if (context.moderation.muteFor(connection.nick, context.clock.now())) {
    connection.send(context.server('NOTICE', connection.target, 'You are muted; your message was not delivered'));
    return;
  }
  const tags = userMessageTags(connection, clientTags);
  const message = (target: string): Outgoing =>
    context.outgoing({ tags, prefix: connection.prefix, command, params: hasText ? [target, text] : [target] });
  for (const name of targets.split(',').slice(0, TARGETS_MAX)) {
    const status = statusTarget(name);
    const channelName = status?.name ?? name;
    if (isChannelName(channelName)) {
      const channel = context.registry.findChannel(channelName);
      if (!channel) {
        fail(ERR.NOSUCHCHANNEL, name, 'No such channel');
        continue;
      }
      // +n, +m and bans; banned members may stay but not speak.
      if (!channel.canSend(connection) || (channel.flags.C && isBlockedCtcp(text))) {
        fail(ERR.CANNOTSENDTOCHAN, channel.name, 'Cannot send to channel');
        continue;
      }
      const outgoing = message(status ? name[0] + channel.name : channel.name);
      context.delivery.toChannel(channel, outgoing, connection, status?.rank);
      if (connection.echoMessage) connection.send(outgoing);
      // A message for operators only must not reach everyone later as history.
      if (!status) context.history?.record(channel.key, outgoing);
      continue;
    }
    const target = context.registry.findNick(name);
    const remote = target ? undefined : context.network?.findUser(name);
    if (remote) {
      const outgoing = message(remote.nick);
      context.network?.sendPrivate(remote, outgoing);
      if (connection.echoMessage) connection.send(outgoing);
      continue;
    }
    if (!target?.registered) {
      fail(ERR.NOSUCHNICK, name, 'No such nick/channel');
      continue;
    }
    const outgoing = message(target.target);
    context.delivery.toConnection(target, outgoing);
    if (connection.echoMessage) connection.send(outgoing);
    if (target.away && command === 'PRIVMSG') context.reply(connection, RPL.AWAY, target.target, target.away);
  }
}

/** Under +C, a CTCP other than ACTION (`/me`), which Modern IRC leaves allowed. */
function isBlockedCtcp(text: string): boolean {
  if (!text.startsWith(CTCP)) return false;
  const after = text.charAt(ACTION.length);
  return !(text.startsWith(ACTION) && (after === '' || after === ' ' || after === CTCP));
}

const CTCP = '\x01';
const ACTION = `${CTCP}ACTION`;
