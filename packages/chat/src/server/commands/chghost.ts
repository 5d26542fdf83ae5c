import { ERR } from '../../protocol/numerics.js';
import type { Handler } from '../context.js';

/** A host name or an address: letters, digits, `.`, `-` and `:` (IPv6), starting with a letter or digit, ≤ 63 bytes. */
const VALID_HOST = /^[A-Za-z0-9][A-Za-z0-9.:-]{0,62}$/;

/**
 * `CHGHOST <nick> <host>`: an operator gives a user on this server another visible host (a vhost), as InspIRCd's
 * and UnrealIRCd's CHGHOST do. The user and everyone sharing a channel with them who negotiated `chghost` get
 * `:nick!user@old CHGHOST user new`; the others see the new host in WHO and WHOIS and on the user's next lines.
 * Bans still match the real address as well (channel.ts, moderation).
 */
export const chghost: Handler = (context, connection, params) => {
  if (!connection.isOper) {
    return context.reply(connection, ERR.NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
  }
  const [nick = '', host = ''] = params;
  if (host === '') return context.reply(connection, ERR.NEEDMOREPARAMS, 'CHGHOST', 'Not enough parameters');
  if (!VALID_HOST.test(host)) {
    connection.send(context.server('FAIL', 'CHGHOST', 'INVALID_HOST', host, 'Host is not valid'));
    return;
  }
  const target = context.registry.findNick(nick);
  if (!target?.registered) {
    if (context.network?.findUser(nick)) {
      const text = 'User is on another server; ask an operator there';
      connection.send(context.server('FAIL', 'CHGHOST', 'REMOTE_USER', nick, text));
      return;
    }
    return context.reply(connection, ERR.NOSUCHNICK, nick, 'No such nick/channel');
  }
  if (host === target.host) return;
  // Made before the change: the line names the user by the old host, as the spec shows.
  const change = context.from(target, 'CHGHOST', target.user ?? '*', host);
  target.setHost(host);
  context.delivery.toNeighbours(target, change, true);
  connection.send(context.server('NOTICE', connection.target, `Changed the host of ${target.target} to ${host}`));
  context.log.info({ event: 'chghost', by: connection.target, nick: target.target, host }, 'host change');
};
