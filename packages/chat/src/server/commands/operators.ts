import { ERR, RPL } from '../../protocol/numerics.js';
import type { Handler } from '../context.js';

export const oper: Handler = async (context, connection, params) => {
  const [name = '', password = ''] = params;
  const ok = await context.opers.verify(name, password, connection.ip);
  if (connection.closed) return;
  if (!ok) {
    context.log.warn({ event: 'oper_failed', id: connection.id, nick: connection.target, name }, 'oper failed');
    return context.reply(connection, ERR.PASSWDMISMATCH, 'Password incorrect');
  }
  connection.isOper = true;
  context.reply(connection, RPL.YOUREOPER, 'You are now an IRC operator');
  connection.send(context.from(connection, 'MODE', connection.target, '+o'));
  context.log.info({ event: 'oper', id: connection.id, nick: connection.target, name }, 'oper');
};

export const kill: Handler = (context, connection, params) => {
  if (!connection.isOper) {
    return context.reply(connection, ERR.NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
  }
  const target = context.registry.findNick(params[0] ?? '');
  const remote = target ? undefined : context.network?.findUser(params[0] ?? '');
  if (remote) {
    const comment = params[1] || connection.target;
    context.log.info(
      { event: 'kill', by: connection.target, nick: remote.nick, reason: comment, node: remote.node },
      'kill',
    );
    return context.network?.kill(remote, connection, comment);
  }
  if (!target?.registered) return context.reply(connection, ERR.NOSUCHNICK, params[0] ?? '', 'No such nick/channel');
  const comment = params[1] || connection.target;
  target.send(context.from(connection, 'KILL', target.target, comment));
  context.log.info({ event: 'kill', by: connection.target, nick: target.target, reason: comment }, 'kill');
  context.disconnect(target, `Killed (${connection.target} (${comment}))`);
};

export const quit: Handler = (context, connection, params) => {
  context.disconnect(connection, params[0] ? `Quit: ${params[0]}` : 'Quit');
};
