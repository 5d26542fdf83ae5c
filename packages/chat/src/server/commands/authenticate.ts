import { ERR, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler } from '../context.js';
import { logIn, loginFailed } from '../login.js';
import { addChunk, decodePlain, SASL_MECHANISMS, type SaslSession } from '../sasl.js';

const sessions = new WeakMap<Connection, SaslSession>();

/**
 * `AUTHENTICATE <mechanism>`, then `AUTHENTICATE +` from us, then the client's base64 in chunks (IRCv3 SASL 3.1/3.2).
 * Works before registration (between CAP REQ and CAP END, where irssi and WeeChat do it) and after.
 */
export const authenticate: Handler = async (context, connection, params) => {
  const word = params[0] ?? '';
  const session = sessions.get(connection);
  if (word === '*') {
    sessions.delete(connection);
    return context.reply(connection, ERR.SASLABORTED, 'SASL authentication aborted');
  }
  if (connection.account !== undefined) {
    sessions.delete(connection);
    return context.reply(connection, ERR.SASLALREADY, 'You have already authenticated using SASL');
  }
  if (session === undefined) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(word.toUpperCase())) {
      context.reply(connection, RPL.SASLMECHS, SASL_MECHANISMS.join(','), 'are available SASL mechanisms');
      return context.reply(connection, ERR.SASLFAIL, 'SASL authentication failed');
    }
    sessions.set(connection, { data: '' });
    return connection.send(context.outgoing({ command: 'AUTHENTICATE', params: ['+'] }));
  }
  const chunk = addChunk(session, word);
  if (chunk.kind === 'more') return;
  sessions.delete(connection);
  if (chunk.kind === 'tooLong') return context.reply(connection, ERR.SASLTOOLONG, 'SASL message too long');
  const plain = decodePlain(chunk.payload);
  const login = plain && (await context.accounts.authenticate(plain.account, plain.password, connection.ip));
  if (connection.closed) return;
  if (!login?.ok) {
    const why = login?.throttled ? ': too many failed logins, try again later' : '';
    context.reply(connection, ERR.SASLFAIL, `SASL authentication failed${why}`);
    return loginFailed(context, connection, plain?.account);
  }
  logIn(context, connection, login.account);
  context.reply(connection, RPL.SASLSUCCESS, 'SASL authentication successful');
};
