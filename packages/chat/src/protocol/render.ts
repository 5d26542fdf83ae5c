import { isChannelName } from './casemap.js';
import { prefixNick, type Message } from './message.js';
import { isErrorNumeric, RPL } from './numerics.js';

/**
 * Protocol messages as lines a person reads: `[12:01] <alice> hi`,
 * `[12:01] * bob has joined #lobby`. Used by the server's plain mode and by chat-client.
 */
export interface RenderOptions {
  readonly time: Date;
  /** Messages to this channel are shown without the channel name. */
  readonly currentChannel?: string | undefined;
  /** Wraps a nick, e.g. in a colour. */
  readonly nick?: (nick: string) => string;
}

/** Returns undefined for messages a person does not need to see (PING, end-of-list markers). */
export function renderMessage(message: Message, options: RenderOptions): string | undefined {
  const body = renderBody(message, options);
  return body === undefined ? undefined : `[${clock(options.time)}] ${body}`;
}

export function clock(time: Date): string {
  return `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`;
}

const HIDDEN = new Set<string>([
  RPL.YOURHOST,
  RPL.CREATED,
  RPL.MYINFO,
  RPL.ISUPPORT,
  RPL.LUSEROP,
  RPL.LUSERUNKNOWN,
  RPL.LUSERCHANNELS,
  RPL.LUSERME,
  RPL.ENDOFWHO,
  RPL.ENDOFWHOIS,
  RPL.ENDOFNAMES,
  RPL.ENDOFBANLIST,
  RPL.LISTSTART,
  RPL.LISTEND,
  RPL.TOPICWHOTIME,
  RPL.CREATIONTIME,
  '422',
  'PING',
  'PONG',
  'CAP',
  'BATCH',
]);

function renderBody(message: Message, options: RenderOptions): string | undefined {
  const { command, params } = message;
  if (HIDDEN.has(command)) return undefined;
  const paint = options.nick ?? ((nick: string) => nick);
  const from = paint(prefixNick(message.prefix));
  const p = (i: number) => params[i] ?? '';
  const last = params[params.length - 1] ?? '';
  const reason = (i: number) => (params[i] ? ` (${params[i]})` : '');
  switch (command) {
    case 'PRIVMSG':
    case 'NOTICE':
      return renderText(message, options, from);
    case 'JOIN':
      return `* ${from} has joined ${p(0)}`;
    case 'PART':
      return `* ${from} has left ${p(0)}${reason(1)}`;
    case 'QUIT':
      return `* ${from} has quit${reason(0)}`;
    case 'KICK':
      return `* ${paint(p(1))} was kicked from ${p(0)} by ${from}${reason(2)}`;
    case 'KILL':
      return `* ${paint(p(0))} was disconnected by ${from}${reason(1)}`;
    case 'NICK':
      return `* ${from} is now known as ${paint(p(0))}`;
    case 'TOPIC':
      return `* ${from} changed the topic of ${p(0)} to: ${p(1)}`;
    case 'INVITE':
      return `* ${from} invites you to ${p(1)}`;
    case 'MODE':
      if (!isChannelName(p(0))) return `* ${from} sets mode ${params.slice(1).join(' ')}`;
      return `* ${from} sets mode ${params.slice(1).join(' ')} on ${p(0)}`;
    case 'ERROR':
      return `! ${last}`;
    case RPL.NAMREPLY:
      return `* Users on ${p(2)}: ${p(3)}`;
    case RPL.WHOREPLY:
      return `* ${p(1)}  ${paint(p(5))}  ${p(2)}@${p(3)}  ${p(6)}  ${p(7).replace(/^\d+ /, '')}`;
    case RPL.TOPIC:
      return `* Topic for ${p(1)}: ${p(2)}`;
    case RPL.NOTOPIC:
      return `* No topic is set for ${p(1)}`;
    case RPL.WHOISUSER:
      return `* ${paint(p(1))} is ${p(2)}@${p(3)} (${p(5)})`;
    case RPL.WHOISCHANNELS:
      return `* ${paint(p(1))} is on ${p(2)}`;
    case RPL.WHOISSERVER:
      return `* ${paint(p(1))} is connected to ${p(2)}`;
    case RPL.WHOISIDLE:
      return `* ${paint(p(1))} has been idle ${p(2)} seconds`;
    case RPL.AWAY:
      return `* ${paint(p(1))} is away: ${p(2)}`;
    case RPL.LIST:
      return `* ${p(1)} (${p(2)} users): ${p(3)}`;
    case RPL.CHANNELMODEIS:
      return `* Modes of ${p(1)}: ${params.slice(2).join(' ')}`;
    case RPL.INVITING:
      return `* ${paint(p(1))} has been invited to ${p(2)}`;
    case RPL.BANLIST:
      return `* Ban on ${p(1)}: ${p(2)}`;
    case RPL.UMODEIS:
      return `* Your modes: ${p(1)}`;
    default:
      return renderNumeric(message);
  }
}

const CTCP_ACTION = '\x01ACTION ';

function renderText(message: Message, options: RenderOptions, from: string): string {
  const target = message.params[0] ?? '';
  let text = message.params[1] ?? '';
  // CTCP ACTION (/me): \x01ACTION text\x01, the closing \x01 sometimes missing.
  const action = text.startsWith(CTCP_ACTION);
  if (action) text = text.slice(CTCP_ACTION.length, text.endsWith('\x01') ? -1 : undefined);
  const where = isChannelName(target) && target !== options.currentChannel ? `${target} ` : '';
  const isServer = !(message.prefix ?? '').includes('!');
  if (message.command === 'NOTICE') return `${where}-${from}- ${text}`;
  if (action) return `${where}* ${from} ${text}`;
  if (!isChannelName(target)) return isServer ? `-${from}- ${text}` : `*${from}* ${text}`;
  return `${where}<${from}> ${text}`;
}

function renderNumeric(message: Message): string | undefined {
  if (!/^\d\d\d$/.test(message.command)) return undefined;
  // The first parameter is our own nick; what matters is the rest.
  const rest = message.params.slice(1);
  const text = rest[rest.length - 1] ?? '';
  const subject = rest.slice(0, -1).join(' ');
  if (isErrorNumeric(message.command)) return `! ${subject ? `${subject}: ` : ''}${text}`;
  return subject ? `${subject} ${text}` : text;
}
