import { foldCase } from '../../protocol/casemap.js';
import { TARGETS_MAX } from '../../protocol/isupport.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

/**
 * WHOWAS <nick>[,nick...] [count]: who last used these nicks, newest first (314 and 312 each), 406 for each nick
 * nobody used, then one 369. A count (per nick) of 0 or less, or none, means every entry kept.
 */
export const whowas: Handler = (context, connection, params) => {
  const targets = params[0] ?? '';
  const nicks = targets.split(',').filter(Boolean).slice(0, TARGETS_MAX);
  if (nicks.length === 0) return context.reply(connection, ERR.NONICKNAMEGIVEN, 'No nickname given');
  const count = Number.parseInt(params[1] ?? '', 10);
  const found = context.whowas.find(nicks, count > 0 ? count : Infinity);
  for (const entry of found) {
    context.reply(connection, RPL.WHOWASUSER, entry.nick, entry.user, entry.host, '*', entry.realname);
    context.reply(connection, RPL.WHOISSERVER, entry.nick, entry.server, new Date(entry.at).toUTCString());
  }
  for (const nick of nicks) {
    if (!found.some((entry) => foldCase(entry.nick) === foldCase(nick))) {
      context.reply(connection, ERR.WASNOSUCHNICK, nick, 'There was no such nickname');
    }
  }
  context.reply(connection, RPL.ENDOFWHOWAS, targets, 'End of WHOWAS');
};

/** Remember a registered user's nick as they give it up (a nick change or leaving). */
export function rememberNick(context: ServerContext, connection: Connection, nick: string): void {
  context.whowas.add({
    nick,
    user: connection.user ?? '*',
    host: connection.host,
    realname: connection.realname,
    server: context.info.name,
    at: context.clock.now(),
  });
}
