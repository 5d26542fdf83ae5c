import { isChannelName } from '../../protocol/casemap.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import { normalizeMask, type Channel } from '../channel.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';

export const mode: Handler = (context, connection, params) => {
  const target = params[0] ?? '';
  if (isChannelName(target)) return channelMode(context, connection, target, params.slice(1));
  return userMode(context, connection, target, params[1]);
};

function channelMode(context: ServerContext, connection: Connection, name: string, args: readonly string[]): void {
  const channel = context.registry.findChannel(name);
  if (!channel) return context.reply(connection, ERR.NOSUCHCHANNEL, name, 'No such channel');
  const modestring = args[0];
  if (modestring === undefined) {
    context.reply(connection, RPL.CHANNELMODEIS, channel.name, '+nt');
    return context.reply(connection, RPL.CREATIONTIME, channel.name, String(Math.floor(channel.createdAt / 1000)));
  }
  const mayChange = channel.isOp(connection) || connection.isOper;
  const applied: { sign: string; mode: string; arg?: string }[] = [];
  let sign = '+';
  let next = 1;
  let bansListed = false;
  for (const char of modestring) {
    if (char === '+' || char === '-') {
      sign = char;
      continue;
    }
    if (char === 'n' || char === 't') continue; // always on
    if (char !== 'b' && char !== 'o') {
      context.reply(connection, ERR.UNKNOWNMODE, char, 'is unknown mode char to me');
      continue;
    }
    const arg = args[next];
    next += 1;
    if (char === 'b' && arg === undefined) {
      // Once per command: `MODE #c bbbbbbbb…` must not multiply the reply.
      if (!bansListed) sendBans(context, connection, channel);
      bansListed = true;
      continue;
    }
    if (arg === undefined) continue;
    if (!mayChange) {
      context.reply(connection, ERR.CHANOPRIVSNEEDED, channel.name, "You're not channel operator");
      return;
    }
    const done =
      char === 'o' ? setOp(context, connection, channel, sign, arg) : setBan(context, connection, channel, sign, arg);
    if (done !== undefined) applied.push({ sign, mode: char, arg: done });
  }
  if (applied.length === 0) return;
  let flags = '';
  let lastSign = '';
  for (const change of applied) {
    if (change.sign !== lastSign) flags += change.sign;
    flags += change.mode;
    lastSign = change.sign;
  }
  const changeArgs = applied.map((change) => change.arg ?? '');
  context.delivery.toChannel(channel, context.from(connection, 'MODE', channel.name, flags, ...changeArgs));
}

function setOp(
  context: ServerContext,
  by: Connection,
  channel: Channel,
  sign: string,
  nick: string,
): string | undefined {
  const target = context.registry.findNick(nick);
  if (!target?.registered) {
    context.reply(by, ERR.NOSUCHNICK, nick, 'No such nick/channel');
    return undefined;
  }
  const membership = channel.members.get(target);
  if (!membership) {
    context.reply(by, ERR.USERNOTINCHANNEL, target.target, channel.name, "They aren't on that channel");
    return undefined;
  }
  const op = sign === '+';
  if (membership.op === op) return undefined;
  membership.op = op;
  return target.target;
}

function setBan(
  context: ServerContext,
  by: Connection,
  channel: Channel,
  sign: string,
  raw: string,
): string | undefined {
  const mask = normalizeMask(raw);
  const index = channel.bans.findIndex((ban) => ban.mask.toLowerCase() === mask.toLowerCase());
  if (sign === '+') {
    if (index !== -1) return undefined;
    channel.bans.push({ mask, setBy: by.target, setAt: context.clock.now() });
  } else {
    if (index === -1) return undefined;
    channel.bans.splice(index, 1);
  }
  return mask;
}

function sendBans(context: ServerContext, connection: Connection, channel: Channel): void {
  for (const ban of channel.bans) {
    context.reply(connection, RPL.BANLIST, channel.name, ban.mask, ban.setBy, String(Math.floor(ban.setAt / 1000)));
  }
  context.reply(connection, RPL.ENDOFBANLIST, channel.name, 'End of channel ban list');
}

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
    // Operator status is granted by OPER only; anyone may drop it.
    else if (char === 'o' && !on && connection.isOper) connection.isOper = false;
    else if (char === 'w' || char === 'i' || char === 'o') continue;
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
  return `+${connection.invisible ? 'i' : ''}${connection.isOper ? 'o' : ''}`;
}
