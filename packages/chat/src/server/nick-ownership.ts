import { foldCase } from '../protocol/casemap.js';
import type { TimerHandle } from '../timing/clock.js';
import type { Connection } from './connection.js';
import type { ServerContext } from './context.js';
import { NICKSERV_PREFIX } from './services-nick.js';

/** Renaming timers of people on a nick an account owns, until they identify or move. */
const pending = new WeakMap<Connection, TimerHandle>();

/** With --require-account-for-nick: true when this nick is owned by an account the connection is not logged in to. */
export function nickRefused(context: ServerContext, connection: Connection, wanted: string): boolean {
  return context.accounts.options.requireForNick && !mayUse(context, connection, wanted);
}

/**
 * The connection's nick has just been set (at registration, or a NICK change). On a nick another account owns,
 * NickServ warns, and unless the owner identifies in time the user is renamed to a guest nick, as ergo and Atheme
 * do; `rename` is the NICK command's own path, so channels see an ordinary nick change.
 */
export function checkNickOwnership(
  context: ServerContext,
  connection: Connection,
  rename: (connection: Connection, nick: string) => void,
): void {
  context.clock.clearTimeout(pending.get(connection));
  pending.delete(connection);
  const nick = connection.nick;
  if (nick === undefined || mayUse(context, connection, nick)) return;
  const seconds = Math.round(context.accounts.options.nickGraceMs / 1000);
  const warning =
    `This nickname is registered. Please identify with /msg NickServ IDENTIFY <password> within ${seconds} ` +
    'seconds, or you will be renamed.';
  connection.send(context.outgoing({ prefix: NICKSERV_PREFIX, command: 'NOTICE', params: [nick, warning] }));
  const timer = context.clock.setTimeout(() => {
    pending.delete(connection);
    const current = connection.nick;
    if (connection.closed || current === undefined || foldCase(current) !== foldCase(nick)) return;
    if (mayUse(context, connection, current)) return;
    rename(connection, guestNick());
  }, context.accounts.options.nickGraceMs);
  pending.set(connection, timer);
}

function mayUse(context: ServerContext, connection: Connection, nick: string): boolean {
  const owner = context.accounts.ownerOf(nick);
  return owner === undefined || (connection.account !== undefined && foldCase(connection.account) === owner.nameKey);
}

function guestNick(): string {
  return `Guest${10_000 + Math.floor(Math.random() * 90_000)}`;
}
