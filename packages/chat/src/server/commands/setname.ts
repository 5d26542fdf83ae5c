import { REALNAME_MAX } from '../../protocol/isupport.js';
import type { Handler } from '../context.js';

/**
 * `SETNAME :new realname` (IRCv3 setname). WHOIS and WHO show the new one at once. Everyone sharing a channel, and
 * the user, get `:nick!user@host SETNAME :…` only if they negotiated `setname` (outgoing.ts); a client without it
 * is served silently, as the older commands were. Too long or empty: `FAIL SETNAME INVALID_REALNAME`.
 */
export const setname: Handler = (context, connection, params) => {
  const realname = params[0] ?? '';
  if (realname === '' || Buffer.byteLength(realname) > REALNAME_MAX) {
    connection.send(context.server('FAIL', 'SETNAME', 'INVALID_REALNAME', 'Realname is not valid'));
    return;
  }
  connection.realname = realname;
  context.delivery.toNeighbours(connection, context.from(connection, 'SETNAME', realname), true);
  context.log.info({ event: 'setname', id: connection.id, nick: connection.nick }, 'realname change');
};
