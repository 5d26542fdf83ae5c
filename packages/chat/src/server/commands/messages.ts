import { isChannelName } from '../../protocol/casemap.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { ServerContext } from '../context.js';

const MAX_TARGETS = 4;

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
  for (const name of targets.split(',').slice(0, MAX_TARGETS)) {
    if (isChannelName(name)) {
      const channel = context.registry.findChannel(name);
      if (!channel) {
        fail(ERR.NOSUCHCHANNEL, name, 'No such channel');
        continue;
      }
      // +n is always on, and banned members may stay but not speak.
      if (!channel.members.has(connection) || (channel.isBanned(connection) && !channel.isOp(connection))) {
        fail(ERR.CANNOTSENDTOCHAN, channel.name, 'Cannot send to channel');
        continue;
      }
      const outgoing = context.from(connection, command, channel.name, text);
      context.delivery.toChannel(channel, outgoing, connection);
      context.history?.record(channel.key, outgoing);
      continue;
    }
    const target = context.registry.findNick(name);
    const remote = target ? undefined : context.network?.findUser(name);
    if (remote) {
      context.network?.sendPrivate(remote, command, connection, text);
      continue;
    }
    if (!target?.registered) {
      fail(ERR.NOSUCHNICK, name, 'No such nick/channel');
      continue;
    }
    context.delivery.toConnection(target, context.from(connection, command, target.target, text));
    if (target.away && !quiet) context.reply(connection, RPL.AWAY, target.target, target.away);
  }
}
