import { foldCase, isValidNick, toUsername } from '../../protocol/casemap.js';
import { ISUPPORT_LINES, MYINFO_MODES, REALNAME_MAX, truncateUtf8 } from '../../protocol/isupport.js';
import { MAX_LINE_BYTES } from '../../protocol/message.js';
import { ERR, RPL } from '../../protocol/numerics.js';
import { capLines, noteCapVersion, offeredTokens, speaks302, unrequestable } from '../capabilities.js';
import type { Connection } from '../connection.js';
import { lineForm } from '../outgoing.js';
import type { Handler, ServerContext } from '../context.js';
import { welcomed } from '../login.js';
import { checkNickOwnership, nickRefused } from '../nick-ownership.js';
import { isServiceNick } from '../services-nick.js';
import { passwordMatches } from '../server-password.js';
import { banRefusal } from './moderation.js';
import { sendLusers } from './lusers.js';
import { sendMotd } from './server-info.js';
import { rememberNick } from './whowas.js';

/** CAP LS / REQ / LIST / END (IRCv3 capability negotiation, 302). A REQ is granted whole or refused whole. */
export const cap: Handler = (context, connection, params) => {
  const sub = (params[0] ?? '').toUpperCase();
  switch (sub) {
    case 'LS': {
      if (!connection.registered) connection.capNegotiating = true;
      // The spec: a reply consistent with this request's version, though a 302 client stays one.
      const v302 = noteCapVersion(connection, params[1]);
      return sendCapList(context, connection, 'LS', offeredTokens(v302), v302);
    }
    case 'LIST':
      return sendCapList(context, connection, 'LIST', [...connection.caps], speaks302(connection));
    case 'REQ': {
      if (!connection.registered) connection.capNegotiating = true;
      const wanted = (params[1] ?? '').split(' ').filter(Boolean);
      const granted = wanted.length > 0 && !wanted.some((item) => unrequestable(connection, item));
      if (granted) {
        for (const item of wanted) {
          if (item.startsWith('-')) connection.caps.delete(item.slice(1));
          else connection.caps.add(item);
        }
        connection.serverTime = connection.caps.has('server-time');
        connection.lineForm = lineForm(connection.caps);
        connection.echoMessage = connection.caps.has('echo-message');
      }
      connection.send(context.server('CAP', connection.target, granted ? 'ACK' : 'NAK', params[1] ?? ''));
      return;
    }
    case 'END':
      connection.capNegotiating = false;
      tryRegister(context, connection);
      return;
    default:
      context.reply(connection, ERR.INVALIDCAPCMD, sub || '*', 'Invalid CAP command');
  }
};

/** `CAP nick LS :…`, or for a 302 client whose list is too long for one line, `CAP nick LS * :…` lines first. */
function sendCapList(
  context: ServerContext,
  connection: Connection,
  sub: string,
  tokens: readonly string[],
  multiline: boolean,
): void {
  // 512 less CR LF, the prefix, the words around the list and the `*` of a continued line.
  const overhead = `:${context.info.name} CAP ${connection.target} ${sub} * :`.length + 2;
  const lines = multiline ? capLines(tokens, MAX_LINE_BYTES - overhead) : [tokens.join(' ')];
  lines.forEach((line, index) => {
    const more = index < lines.length - 1 ? ['*'] : [];
    connection.send(context.server('CAP', connection.target, sub, ...more, line));
  });
}

/** PASS before NICK and USER; checked when registration completes, so its place among them does not matter. */
export const pass: Handler = (context, connection, params) => {
  if (connection.registered) return context.reply(connection, ERR.ALREADYREGISTERED, 'You may not reregister');
  connection.password = params[0];
};

export const nick: Handler = (context, connection, params) => {
  const wanted = params[0] ?? '';
  if (wanted === '') return context.reply(connection, ERR.NONICKNAMEGIVEN, 'No nickname given');
  if (!isValidNick(wanted)) return context.reply(connection, ERR.ERRONEUSNICKNAME, wanted, 'Erroneous nickname');
  if (wanted === connection.nick) return;
  if (isServiceNick(wanted)) return context.reply(connection, ERR.ERRONEUSNICKNAME, wanted, 'Nickname is reserved');
  // Before registration the check waits for registration to complete: irssi sends NICK before its SASL login.
  if (connection.registered && nickRefused(context, connection, wanted)) {
    return context.reply(connection, ERR.NICKNAMEINUSE, wanted, 'Nickname is reserved by a different account');
  }
  if (connection.registered && context.moderation.muteFor(connection.nick, context.clock.now())) {
    return context.reply(connection, ERR.NONICKCHANGE, 'Cannot change nickname while muted');
  }
  const old = { prefix: connection.prefix, nick: connection.nick };
  const claimed = claimNick(context, connection, wanted);
  if (claimed instanceof Promise) return claimed.then((ok) => nickClaimed(context, connection, wanted, old, ok));
  nickClaimed(context, connection, wanted, old, claimed);
};

/**
 * Take a nick here and, on a network, in Redis first (so that it is unique
 * across servers); the connection's old nick is given back.
 */
export function claimNick(context: ServerContext, connection: Connection, wanted: string): boolean | Promise<boolean> {
  const holder = context.registry.findNick(wanted);
  if (holder !== undefined && holder !== connection) return false;
  const network = context.network;
  if (!network) return context.registry.claimNick(connection, wanted);
  return network.claimNick(connection, wanted).then((ok) => {
    if (!ok) return false;
    const old = connection.nick;
    // Someone here may have taken it while Redis answered, or the client may have left.
    if (connection.closed || !context.registry.claimNick(connection, wanted)) {
      network.releaseNick(connection, wanted);
      return false;
    }
    if (old !== undefined && foldCase(old) !== foldCase(wanted)) network.releaseNick(connection, old);
    return true;
  });
}

function nickClaimed(
  context: ServerContext,
  connection: Connection,
  wanted: string,
  old: { readonly prefix: string; readonly nick: string | undefined },
  ok: boolean,
): void {
  if (!ok) return context.reply(connection, ERR.NICKNAMEINUSE, wanted, 'Nickname is already in use');
  if (connection.registered) {
    const change = context.outgoing({ prefix: old.prefix, command: 'NICK', params: [wanted] });
    context.delivery.toNeighbours(connection, change, true);
    if (old.nick !== undefined) rememberNick(context, connection, old.nick);
    context.log.info({ event: 'nick', id: connection.id, from: old.prefix, nick: wanted }, 'nick change');
    checkNickOwnership(context, connection, renamer(context));
  } else {
    tryRegister(context, connection);
  }
}

export const user: Handler = (context, connection, params) => {
  if (connection.registered) return context.reply(connection, ERR.ALREADYREGISTERED, 'You may not reregister');
  // Modern IRC: an empty username or realname is as good as a missing one.
  if (params[0] === '' || params[3] === '') {
    return context.reply(connection, ERR.NEEDMOREPARAMS, 'USER', 'Not enough parameters');
  }
  connection.user = toUsername(params[0] ?? '');
  connection.realname = truncateUtf8(params[3] ?? '', REALNAME_MAX);
  tryRegister(context, connection);
};

function tryRegister(context: ServerContext, connection: Connection): void {
  if (connection.registered || connection.capNegotiating || !connection.nick || !connection.user) return;
  const { nick } = connection;
  if (nickRefused(context, connection, nick)) {
    // As ergo does: registration waits for another NICK. The nick is let go, so that its owner can have it.
    context.registry.releaseNick(connection);
    context.network?.releaseNick(connection, nick);
    connection.send(context.server(ERR.NICKNAMEINUSE, '*', nick, 'Nickname is reserved by a different account'));
    return;
  }
  if (!welcome(context, connection)) return;
  welcomed(context, connection);
  checkNickOwnership(context, connection, renamer(context));
}

/** A forced nick change goes the way of the user's own NICK. */
export function renamer(context: ServerContext): (connection: Connection, nick: string) => void {
  return (connection, wanted) => void nick(context, connection, [wanted]);
}

/**
 * Registration is complete: the 001–005 burst, LUSERS and MOTD. False when the user is refused instead: a wrong or
 * missing server password (464, then ERROR) or a ban.
 */
export function welcome(context: ServerContext, connection: Connection): boolean {
  const { info } = context;
  if (!passwordMatches(info.password, connection.password)) {
    context.log.info({ event: 'bad_password', id: connection.id, ip: connection.ip }, 'wrong server password');
    context.reply(connection, ERR.PASSWDMISMATCH, 'Password incorrect');
    context.disconnect(connection, 'Bad password');
    return false;
  }
  const refusal = banRefusal(context, connection);
  if (refusal !== undefined) {
    context.log.info({ event: 'refused_banned', id: connection.id, prefix: connection.prefix }, 'banned user refused');
    context.disconnect(connection, refusal, refusal);
    return false;
  }
  connection.markRegistered();
  context.reply(connection, RPL.WELCOME, `Welcome to the quartet IRC Network ${connection.prefix}`);
  context.reply(connection, RPL.YOURHOST, `Your host is ${info.name}, running version ${info.version}`);
  context.reply(connection, RPL.CREATED, `This server was created ${info.createdAt.toUTCString()}`);
  context.reply(connection, RPL.MYINFO, info.name, info.version, ...MYINFO_MODES);
  for (const tokens of ISUPPORT_LINES)
    context.reply(connection, RPL.ISUPPORT, ...tokens, 'are supported by this server');
  sendLusers(context, connection);
  sendMotd(context, connection);
  context.log.info(
    { event: 'register', id: connection.id, ip: connection.ip, nick: connection.nick, mode: connection.mode },
    'registered',
  );
  context.network?.announce(connection);
  return true;
}
