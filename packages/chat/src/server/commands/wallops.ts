import { ERR } from '../../protocol/numerics.js';
import type { Handler } from '../context.js';

/**
 * WALLOPS: an operator's message to every user here with user mode +w, the sender included only if they have +w
 * too. It stays on this server: the network carries channel and private traffic, not server-wide broadcasts.
 */
export const wallops: Handler = (context, connection, params) => {
  const text = params[0] ?? '';
  if (text === '') return context.reply(connection, ERR.NEEDMOREPARAMS, 'WALLOPS', 'Not enough parameters');
  if (!connection.isOper) {
    return context.reply(connection, ERR.NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
  }
  const message = context.from(connection, 'WALLOPS', text);
  for (const other of context.registry.connections) if (other.registered && other.wallops) other.send(message);
  context.log.info({ event: 'wallops', by: connection.target }, 'wallops');
};
