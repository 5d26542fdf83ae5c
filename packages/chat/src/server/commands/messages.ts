import { isChannelName } from '../../protocol/casemap.js';
import { TARGETS_MAX } from '../../protocol/isupport.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import { statusTarget } from '../channel.js';
import type { Connection } from '../connection.js';
import type { ServerContext } from '../context.js';

export const privmsg = (context: ServerContext, connection: Connection, params: readonly string[]): void =>
  deliver(context, connection, params, 'PRIVMSG');

export const notice = (context: ServerContext, connection: Connection, params: readonly string[]): void =>
  deliver(context, connection, params, 'NOTICE');

/** NOTICE never gets an error back (RFC 2812 §3.3.2), so that bots cannot loop on each other. */
function deliver(context: ServerContext, connection: Connection, params: readonly string[], command: string): void {
  const quiet = command === 'NOTICE';
  const fail = (numeric: string, ...args: string[]) => {
    if (!quiet) context.reply(connection, numeric, ...args);
  };
  const targets = params[0] ?? '';
  const text = params[1] ?? '';
  if (targets === '') return fail(ERR.NORECIPIENT, `No recipient given (${command})`);
  if (text === '') return fail(ERR.NOTEXTTOSEND, 'No text to send');
  if (command === 'PRIVMSG') connection.lastSpoke = context.clock.now();
  if (context.moderation.muteFor(connection.nick, context.clock.now())) {
    connection.send(context.server('NOTICE', connection.target, 'You are muted; your message was not delivered'));
    return;
  }
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
      const outgoing = context.from(connection, command, status ? name[0] + channel.name : channel.name, text);
      context.delivery.toChannel(channel, outgoing, connection, status?.rank);
      if (connection.echoMessage) connection.send(outgoing);
      // A message for operators only must not reach everyone later as history.
      if (!status) context.history?.record(channel.key, outgoing);
      continue;
    }
    const target = context.registry.findNick(name);
    const remote = target ? undefined : context.network?.findUser(name);
    if (remote) {
      context.network?.sendPrivate(remote, command, connection, text);
      if (connection.echoMessage) connection.send(context.from(connection, command, remote.nick, text));
      continue;
    }
    if (!target?.registered) {
      fail(ERR.NOSUCHNICK, name, 'No such nick/channel');
      continue;
    }
    const outgoing = context.from(connection, command, target.target, text);
    context.delivery.toConnection(target, outgoing);
    if (connection.echoMessage) connection.send(outgoing);
    if (target.away && !quiet) context.reply(connection, RPL.AWAY, target.target, target.away);
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
