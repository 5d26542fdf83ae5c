import type { AccountRecord } from '../db/account-store.js';
import { RPL } from '../protocol/numerics.js';
import type { Connection } from './connection.js';
import type { ServerContext } from './context.js';

/**
 * The connection is now logged in to the account (SASL, NickServ IDENTIFY, REGISTER): 900, `ACCOUNT <name>` to
 * peers with account-notify (and the user), and operator status for an oper account. Before registration the
 * rest waits for `welcomed`.
 */
export function logIn(context: ServerContext, connection: Connection, account: AccountRecord): void {
  connection.account = account.name;
  const text = `You are now logged in as ${account.name}`;
  context.reply(connection, RPL.LOGGEDIN, connection.prefix, account.name, text);
  context.log.info({ event: 'login', id: connection.id, nick: connection.nick, account: account.name }, 'login');
  if (!connection.registered) return;
  context.delivery.toNeighbours(connection, context.from(connection, 'ACCOUNT', account.name), true);
  if (account.oper) grantOper(context, connection);
}

/** Failed logins (SASL or IDENTIFY) a connection may make; the next one closes it, so each guess costs a connection. */
export const MAX_LOGIN_FAILURES = 3;
const failures = new WeakMap<Connection, number>();

/** Call after telling the client its login failed: the third failure on a connection closes it. */
export function loginFailed(context: ServerContext, connection: Connection, account: string | undefined): void {
  const count = (failures.get(connection) ?? 0) + 1;
  failures.set(connection, count);
  context.log.warn({ event: 'login_failed', id: connection.id, ip: connection.ip, account, count }, 'login failed');
  if (count >= MAX_LOGIN_FAILURES) context.disconnect(connection, 'Too many failed login attempts');
}

/** Registration is complete: what a login before it (SASL) left to do. */
export function welcomed(context: ServerContext, connection: Connection): void {
  if (connection.account !== undefined && context.accounts.find(connection.account)?.oper) {
    grantOper(context, connection);
  }
}

/** As OPER does it: 381 and `MODE nick +o`. */
export function grantOper(context: ServerContext, connection: Connection): void {
  if (connection.isOper) return;
  connection.isOper = true;
  context.reply(connection, RPL.YOUREOPER, 'You are now an IRC operator');
  connection.send(context.from(connection, 'MODE', connection.target, '+o'));
  context.log.info({ event: 'oper', id: connection.id, nick: connection.target, account: connection.account }, 'oper');
}
