import { RPL } from '../../protocol/numerics.js';
import type { Handler } from '../context.js';

/**
 * LINKS: this server (hopcount 0), then every other live server of the network (hopcount 1: each hears the others
 * directly through Redis). Masks are not supported; the list is always the whole network.
 */
export const links: Handler = (context, connection) => {
  const { name, description } = context.info;
  context.reply(connection, RPL.LINKS, name, name, `0 ${description}`);
  // Servers do not tell each other their descriptions; every one starts as the default.
  for (const other of context.network?.servers() ?? [])
    context.reply(connection, RPL.LINKS, other, name, '1 quartet chat');
  context.reply(connection, RPL.ENDOFLINKS, '*', 'End of /LINKS list');
};
