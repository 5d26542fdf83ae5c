import { foldCase } from '../../protocol/casemap.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

/**
 * What the server says about itself: MOTD, TIME, INFO and VERSION. Each takes an optional target server; this
 * server answers for its own name (or the nick of someone on it) and gives 402 for any other.
 */
export function sendMotd(context: ServerContext, connection: Connection): void {
  const { motd, name } = context.info;
  if (motd === undefined) return context.reply(connection, ERR.NOMOTD, 'MOTD File is missing');
  context.reply(connection, RPL.MOTDSTART, `- ${name} Message of the day - `);
  for (const line of motd) context.reply(connection, RPL.MOTD, `- ${line}`);
  context.reply(connection, RPL.ENDOFMOTD, 'End of /MOTD command.');
}

export const motd: Handler = (context, connection, params) => {
  if (isHere(context, connection, params[0])) sendMotd(context, connection);
};

export const time: Handler = (context, connection, params) => {
  if (!isHere(context, connection, params[0])) return;
  const now = new Date(context.clock.now());
  context.reply(connection, RPL.TIME, context.info.name, now.toUTCString());
};

export const info: Handler = (context, connection, params) => {
  if (!isHere(context, connection, params[0])) return;
  const { name, version, createdAt } = context.info;
  const lines = [
    `${name} runs ${version}, the quartet chat server.`,
    'It speaks the IRC client protocol (RFC 1459, RFC 2812, Modern IRC, some IRCv3)',
    'to IRC clients, and plain text to people on nc or telnet.',
    `Started ${createdAt.toUTCString()}.`,
  ];
  for (const line of lines) context.reply(connection, RPL.INFO, line);
  context.reply(connection, RPL.ENDOFINFO, 'End of INFO list');
};

export const version: Handler = (context, connection, params) => {
  if (!isHere(context, connection, params[0])) return;
  const { name, version } = context.info;
  context.reply(connection, RPL.VERSION, version, name, 'quartet chat');
};

/** True when the target is absent or this server; otherwise answers 402. */
function isHere(context: ServerContext, connection: Connection, target: string | undefined): boolean {
  if (target === undefined || target === '') return true;
  if (foldCase(target) === foldCase(context.info.name)) return true;
  if (context.registry.findNick(target)?.registered) return true;
  context.reply(connection, ERR.NOSUCHSERVER, target, 'No such server');
  return false;
}
