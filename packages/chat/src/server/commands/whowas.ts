import { ERR, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

/**
 * WHOWAS <nick> [count]: who last used a nick, newest first (314 and 312 each), then 369; 406 when nobody did.
 * A count of 0 or less, or none, means every entry kept.
 */
export const whowas: Handler = (context, connection, params) => {
  const nick = params[0] ?? '';
  if (nick === '') return context.reply(connection, ERR.NONICKNAMEGIVEN, 'No nickname given');
  const count = Number.parseInt(params[1] ?? '', 10);
  const found = context.whowas.find(nick, count > 0 ? count : Infinity);
  if (found.length === 0) context.reply(connection, ERR.WASNOSUCHNICK, nick, 'There was no such nickname');
  for (const entry of found) {
    context.reply(connection, RPL.WHOWASUSER, entry.nick, entry.user, entry.host, '*', entry.realname);
    context.reply(connection, RPL.WHOISSERVER, entry.nick, entry.server, new Date(entry.at).toUTCString());
  }
  context.reply(connection, RPL.ENDOFWHOWAS, nick, 'End of WHOWAS');
};

/** Remember a registered user's nick as they give it up (a nick change or leaving). */
export function rememberNick(context: ServerContext, connection: Connection, nick: string): void {
  context.whowas.add({
    nick,
    user: connection.user ?? '*',
    host: connection.ip,
    realname: connection.realname,
    server: context.info.name,
    at: context.clock.now(),
  });
}
