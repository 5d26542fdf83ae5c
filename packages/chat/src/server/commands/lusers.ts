import { RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

/**
 * LUSERS (251–255, 265, 266), also sent on registration. Counted when asked rather than kept as running totals:
 * invisibility and operator status change in several places, and a count that drifts is worse than a loop.
 */
export function sendLusers(context: ServerContext, connection: Connection): void {
  const { registry, peaks } = context;
  let local = 0;
  let invisible = 0;
  let opers = 0;
  let unknown = 0;
  for (const other of registry.connections) {
    if (!other.registered) {
      unknown += 1;
      continue;
    }
    local += 1;
    if (other.invisible) invisible += 1;
    if (other.isOper) opers += 1;
  }
  const remote = context.network?.counts() ?? { users: 0, opers: 0, servers: 0 };
  const global = local + remote.users;
  peaks.local = Math.max(peaks.local, local);
  peaks.global = Math.max(peaks.global, global);
  const servers = 1 + remote.servers;
  const reply = (numeric: string, ...params: string[]) => context.reply(connection, numeric, ...params);
  reply(RPL.LUSERCLIENT, `There are ${global - invisible} users and ${invisible} invisible on ${servers} servers`);
  reply(RPL.LUSEROP, String(opers + remote.opers), 'operator(s) online');
  reply(RPL.LUSERUNKNOWN, String(unknown), 'unknown connection(s)');
  reply(RPL.LUSERCHANNELS, String(registry.channelCount), 'channels formed');
  reply(RPL.LUSERME, `I have ${local} clients and ${remote.servers} servers`);
  reply(RPL.LOCALUSERS, String(local), String(peaks.local), `Current local users ${local}, max ${peaks.local}`);
  reply(RPL.GLOBALUSERS, String(global), String(peaks.global), `Current global users ${global}, max ${peaks.global}`);
}

export const lusers: Handler = (context, connection) => sendLusers(context, connection);
