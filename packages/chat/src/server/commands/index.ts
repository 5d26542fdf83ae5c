import type { CommandSpec } from '../context.js';
import { authenticate } from './authenticate.js';
import { names, topic } from './channels.js';
import { chghost } from './chghost.js';
import { chathistory } from './chathistory.js';
import { invite } from './invite.js';
import { join, part } from './join.js';
import { kick } from './kick.js';
import { links } from './links.js';
import { list } from './list.js';
import { notice, privmsg, tagmsg } from './messages.js';
import { mode } from './modes.js';
import { nickserv, withNickServ } from './nickserv.js';
import { ban, bans, mute, unban, unmute } from './moderation.js';
import { kill, oper, quit } from './operators.js';
import { help } from './help.js';
import { lusers } from './lusers.js';
import { away, ison, ping, pong, userhost, whois } from './queries.js';
import { register, verify } from './register.js';
import { cap, nick, pass, user } from './registration.js';
import { setname } from './setname.js';
import { info, motd, time, version } from './server-info.js';
import { wallops } from './wallops.js';
import { who } from './who.js';
import { whowas } from './whowas.js';

/** Every command the server understands, with the parameters it cannot do without. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  ['CAP', { handler: cap, minParams: 1, beforeRegistration: true }],
  ['PASS', { handler: pass, minParams: 1, beforeRegistration: true }],
  ['NICK', { handler: nick, minParams: 0, beforeRegistration: true }],
  ['USER', { handler: user, minParams: 4, beforeRegistration: true }],
  ['PING', { handler: ping, minParams: 1, beforeRegistration: true }],
  ['PONG', { handler: pong, minParams: 0, beforeRegistration: true }],
  ['QUIT', { handler: quit, minParams: 0, beforeRegistration: true }],
  ['JOIN', { handler: join, minParams: 1 }],
  ['PART', { handler: part, minParams: 1 }],
  ['PRIVMSG', { handler: withNickServ(privmsg), minParams: 0 }],
  ['NOTICE', { handler: notice, minParams: 0 }],
  ['TAGMSG', { handler: tagmsg, minParams: 0 }],
  ['NAMES', { handler: names, minParams: 0 }],
  ['WHO', { handler: who, minParams: 0 }],
  ['WHOIS', { handler: whois, minParams: 1 }],
  ['LIST', { handler: list, minParams: 0 }],
  ['TOPIC', { handler: topic, minParams: 1 }],
  ['MODE', { handler: mode, minParams: 1 }],
  ['KICK', { handler: kick, minParams: 2 }],
  ['INVITE', { handler: invite, minParams: 0 }],
  ['OPER', { handler: oper, minParams: 2 }],
  ['KILL', { handler: kill, minParams: 1 }],
  ['WALLOPS', { handler: wallops, minParams: 1 }],
  ['LINKS', { handler: links, minParams: 0 }],
  ['MOTD', { handler: motd, minParams: 0 }],
  ['LUSERS', { handler: lusers, minParams: 0 }],
  ['TIME', { handler: time, minParams: 0 }],
  ['INFO', { handler: info, minParams: 0 }],
  ['VERSION', { handler: version, minParams: 0 }],
  ['HELP', { handler: help, minParams: 0 }],
  ['HELPOP', { handler: help, minParams: 0 }],
  ['WHOWAS', { handler: whowas, minParams: 0 }],
  ['AWAY', { handler: away, minParams: 0 }],
  ['SETNAME', { handler: setname, minParams: 0 }],
  ['CHGHOST', { handler: chghost, minParams: 0 }],
  ['ISON', { handler: ison, minParams: 1 }],
  ['USERHOST', { handler: userhost, minParams: 1 }],
  ['BAN', { handler: ban, minParams: 1 }],
  ['UNBAN', { handler: unban, minParams: 1 }],
  ['BANS', { handler: bans, minParams: 0 }],
  ['MUTE', { handler: mute, minParams: 1 }],
  ['CHATHISTORY', { handler: chathistory, minParams: 0 }],
  ['UNMUTE', { handler: unmute, minParams: 1 }],
  ['AUTHENTICATE', { handler: authenticate, minParams: 1, beforeRegistration: true }],
  // Before registration only to say that it must wait (FAIL REGISTER COMPLETE_CONNECTION_REQUIRED).
  ['REGISTER', { handler: register, minParams: 3, beforeRegistration: true }],
  ['VERIFY', { handler: verify, minParams: 2 }],
  ['NICKSERV', { handler: nickserv, minParams: 0 }],
  ['NS', { handler: nickserv, minParams: 0 }],
]);
