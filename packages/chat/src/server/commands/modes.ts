import { isChannelName } from '../../protocol/casemap.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import { channelMode } from './channel-modes.js';

export const mode: Handler = (context, connection, params) => {
  const target = params[0] ?? '';
  if (isChannelName(target)) return channelMode(context, connection, target, params.slice(1));
  return userMode(context, connection, target, params[1]);
};

function userMode(context: ServerContext, connection: Connection, nick: string, modestring: string | undefined): void {
  const target = context.registry.findNick(nick);
  if (!target) return context.reply(connection, ERR.NOSUCHNICK, nick, 'No such nick/channel');
  if (target !== connection) return context.reply(connection, ERR.USERSDONTMATCH, "Can't change mode for other users");
  if (modestring === undefined) return context.reply(connection, RPL.UMODEIS, currentModes(connection));
  let sign = '+';
  let changed = '';
  let lastSign = '';
  for (const char of modestring) {
    if (char === '+' || char === '-') {
      sign = char;
      continue;
    }
    const on = sign === '+';
    if (char === 'i' && connection.invisible !== on) connection.invisible = on;
    else if (char === 'B' && connection.bot !== on) connection.bot = on;
    else if (char === 'w' && connection.wallops !== on) connection.wallops = on;
    // Operator status is granted by OPER only; anyone may drop it.
    else if (char === 'o' && !on && connection.isOper) connection.isOper = false;
    else if (char === 'w' || char === 'i' || char === 'o' || char === 'B') continue;
    else {
      context.reply(connection, ERR.UMODEUNKNOWNFLAG, 'Unknown MODE flag');
      continue;
    }
    changed += (sign === lastSign ? '' : sign) + char;
    lastSign = sign;
  }
  if (changed !== '') connection.send(context.from(connection, 'MODE', connection.target, changed));
}

function currentModes(connection: Connection): string {
  return `+${connection.bot ? 'B' : ''}${connection.invisible ? 'i' : ''}${connection.isOper ? 'o' : ''}${connection.wallops ? 'w' : ''}`;
}
