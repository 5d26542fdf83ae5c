import { isValidNick, toUsername } from '../../protocol/casemap.js';
import { ERR, ISUPPORT_TOKENS, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import { sendLusers, sendMotd } from './queries.js';

/** CAP with an empty capability list: enough for clients that always negotiate (WeeChat, irssi). */
export const cap: Handler = (context, connection, params) => {
  const sub = (params[0] ?? '').toUpperCase();
  switch (sub) {
    case 'LS':
      if (!connection.registered) connection.capNegotiating = true;
      connection.send(context.server('CAP', connection.target, 'LS', ''));
      return;
    case 'LIST':
      connection.send(context.server('CAP', connection.target, 'LIST', ''));
      return;
    case 'REQ':
      if (!connection.registered) connection.capNegotiating = true;
      connection.send(context.server('CAP', connection.target, 'NAK', params[1] ?? ''));
      return;
    case 'END':
      connection.capNegotiating = false;
      tryRegister(context, connection);
      return;
    default:
      context.reply(connection, '410', sub || '*', 'Invalid CAP command');
  }
};

export const pass: Handler = (context, connection) => {
  // Accepted and ignored: the server has no connection password.
  if (connection.registered) context.reply(connection, ERR.ALREADYREGISTERED, 'You may not reregister');
};

export const nick: Handler = (context, connection, params) => {
  const wanted = params[0] ?? '';
  if (wanted === '') return context.reply(connection, ERR.NONICKNAMEGIVEN, 'No nickname given');
  if (!isValidNick(wanted)) return context.reply(connection, ERR.ERRONEUSNICKNAME, wanted, 'Erroneous nickname');
  if (wanted === connection.nick) return;
  const oldPrefix = connection.prefix;
  if (!context.registry.claimNick(connection, wanted)) {
    return context.reply(connection, ERR.NICKNAMEINUSE, wanted, 'Nickname is already in use');
  }
  if (connection.registered) {
    const change = context.outgoing({ prefix: oldPrefix, command: 'NICK', params: [wanted] });
    context.delivery.toNeighbours(connection, change, true);
    context.log.info({ event: 'nick', id: connection.id, from: oldPrefix, nick: wanted }, 'nick change');
  } else {
    tryRegister(context, connection);
  }
};

export const user: Handler = (context, connection, params) => {
  if (connection.registered) return context.reply(connection, ERR.ALREADYREGISTERED, 'You may not reregister');
  connection.user = toUsername(params[0] ?? '');
  connection.realname = params[3] ?? '';
  tryRegister(context, connection);
};

function tryRegister(context: ServerContext, connection: Connection): void {
  if (connection.registered || connection.capNegotiating || !connection.nick || !connection.user) return;
  welcome(context, connection);
}

/** Registration is complete: the 001–005 burst, LUSERS and MOTD. */
export function welcome(context: ServerContext, connection: Connection): void {
  const { info } = context;
  connection.markRegistered();
  context.reply(connection, RPL.WELCOME, `Welcome to the quartet IRC Network ${connection.prefix}`);
  context.reply(connection, RPL.YOURHOST, `Your host is ${info.name}, running version ${info.version}`);
  context.reply(connection, RPL.CREATED, `This server was created ${info.createdAt.toUTCString()}`);
  context.reply(connection, RPL.MYINFO, info.name, info.version, 'iow', 'bnot', 'bo');
  context.reply(connection, RPL.ISUPPORT, ...ISUPPORT_TOKENS, 'are supported by this server');
  sendLusers(context, connection);
  sendMotd(context, connection);
  context.log.info(
    { event: 'register', id: connection.id, ip: connection.ip, nick: connection.nick, mode: connection.mode },
    'registered',
  );
}
