import { parseDuration } from './duration.js';
import type { Message } from './message.js';

/**
 * What a person types, turned into protocol messages. chat-client and the
 * server's plain mode (nc, telnet) share it, so `/kick` means the same in both.
 */
export interface InputContext {
  /** The channel plain lines go to, if any. */
  readonly channel: string | undefined;
  /** Server operators' `/kick` disconnects the user (KILL); a channel operator's removes them from the channel. */
  readonly isOper: boolean;
}

export type InputAction =
  | { readonly kind: 'send'; readonly messages: readonly Message[] }
  | { readonly kind: 'quit'; readonly reason: string }
  | { readonly kind: 'help'; readonly lines: readonly string[] }
  | { readonly kind: 'error'; readonly text: string }
  | { readonly kind: 'none' };

const HELP_LINES: readonly string[] = [
  'Lines without a leading / go to the current channel (start with // to send a literal /).',
  '/join #room          join a room and make it current',
  '/part [#room] [why]  leave a room (default: the current one)',
  '/msg nick text       private message',
  '/me action          an action in the current room',
  '/nick name           change nickname',
  '/who [#room]         who is in a room',
  '/names [#room]       nicknames in a room',
  '/topic [text]        show or set the topic of the current room',
  '/mode [#room] [+-modes [args]]  show or change the modes of a room (channel operators: +o +v +b +i +k +l +m …)',
  '/invite nick [#room]  invite someone to a room (default: the current one)',
  '/kick nick [why]     operators: disconnect a user; channel operators: remove from the room',
  '/oper name password  become a server operator',
  '/ban nick|mask [duration] [why]   operators: ban from the server (mask nick!user@host, duration 30s 10m 2h 7d 1w)',
  '/unban mask          operators: lift a ban',
  '/bans                operators: list bans and mutes',
  "/mute nick [duration]  operators: stop a user's messages from being delivered",
  '/unmute nick         operators: lift a mute',
  '/quit [why]          leave',
  '/help                this list',
];

export function parseInput(line: string, context: InputContext): InputAction {
  if (line.trim() === '') return { kind: 'none' };
  if (!line.startsWith('/') || line.startsWith('//')) {
    const text = line.startsWith('//') ? line.slice(1) : line;
    return toChannel(context, (channel) => [{ command: 'PRIVMSG', params: [channel, text] }]);
  }
  const [word = '', ...args] = line.slice(1).split(' ');
  const rest = (n: number) => args.slice(n).join(' ');
  const arg = (n: number) => args[n] ?? '';
  switch (word.toLowerCase()) {
    case 'join':
      if (!arg(0)) return usage('/join #room');
      return send({ command: 'JOIN', params: [channelName(arg(0)), ...(arg(1) ? [arg(1)] : [])] });
    case 'part': {
      const named = arg(0).startsWith('#');
      const channel = named ? arg(0) : context.channel;
      if (!channel) return usage('/part #room');
      const reason = named ? rest(1) : rest(0);
      return send({ command: 'PART', params: reason ? [channel, reason] : [channel] });
    }
    case 'msg':
    case 'query':
      if (!arg(0) || !rest(1)) return usage('/msg nick text');
      return send({ command: 'PRIVMSG', params: [arg(0), rest(1)] });
    case 'me':
      if (!rest(0)) return usage('/me action');
      return toChannel(context, (channel) => [{ command: 'PRIVMSG', params: [channel, `\x01ACTION ${rest(0)}\x01`] }]);
    case 'nick':
      if (!arg(0)) return usage('/nick name');
      return send({ command: 'NICK', params: [arg(0)] });
    case 'who':
    case 'names': {
      const target = arg(0) || context.channel;
      if (!target) return usage(`/${word.toLowerCase()} #room`);
      return send({ command: word.toUpperCase(), params: [target] });
    }
    case 'whois':
      if (!arg(0)) return usage('/whois nick');
      return send({ command: 'WHOIS', params: [arg(0)] });
    case 'topic':
      return toChannel(context, (channel) => [{ command: 'TOPIC', params: rest(0) ? [channel, rest(0)] : [channel] }]);
    case 'list':
      return send({ command: 'LIST', params: [] });
    case 'mode': {
      // `/mode +m`, `/mode #room +k key`, or `/mode` alone for the current room's modes.
      const named = arg(0).startsWith('#');
      const channel = named ? arg(0) : context.channel;
      if (!channel) return usage('/mode #room [+-modes [args]]');
      return send({ command: 'MODE', params: [channel, ...args.slice(named ? 1 : 0).filter(Boolean)] });
    }
    case 'invite': {
      const channel = arg(1) || context.channel;
      if (!arg(0) || !channel) return usage('/invite nick [#room]');
      return send({ command: 'INVITE', params: [arg(0), channelName(channel)] });
    }
    case 'away':
      return send({ command: 'AWAY', params: rest(0) ? [rest(0)] : [] });
    case 'kick': {
      if (!arg(0)) return usage('/kick nick [reason]');
      const reason = rest(1) || 'Kicked';
      if (context.isOper) return send({ command: 'KILL', params: [arg(0), reason] });
      return toChannel(context, (channel) => [{ command: 'KICK', params: [channel, arg(0), reason] }]);
    }
    case 'ban': {
      if (!arg(0)) return usage('/ban nick|mask [duration] [reason]');
      const timed = parseDuration(arg(1)) !== undefined;
      const reason = rest(timed ? 2 : 1);
      return send({ command: 'BAN', params: [arg(0), ...(timed ? [arg(1)] : []), ...(reason ? [reason] : [])] });
    }
    case 'unban':
      if (!arg(0)) return usage('/unban mask');
      return send({ command: 'UNBAN', params: [arg(0)] });
    case 'bans':
      return send({ command: 'BANS', params: [] });
    case 'mute':
      if (!arg(0)) return usage('/mute nick [duration]');
      return send({ command: 'MUTE', params: arg(1) ? [arg(0), arg(1)] : [arg(0)] });
    case 'unmute':
      if (!arg(0)) return usage('/unmute nick');
      return send({ command: 'UNMUTE', params: [arg(0)] });
    case 'oper':
      if (!arg(0) || !arg(1)) return usage('/oper name password');
      return send({ command: 'OPER', params: [arg(0), arg(1)] });
    case 'quit':
    case 'exit':
      return { kind: 'quit', reason: rest(0) || 'Leaving' };
    case 'help':
      return { kind: 'help', lines: HELP_LINES };
    default:
      return { kind: 'error', text: `Unknown command /${word}; /help lists the commands` };
  }
}

function send(...messages: Message[]): InputAction {
  return { kind: 'send', messages };
}

function usage(text: string): InputAction {
  return { kind: 'error', text: `Usage: ${text}` };
}

function toChannel(context: InputContext, build: (channel: string) => Message[]): InputAction {
  if (!context.channel) return { kind: 'error', text: 'You are not in a room; /join #room first' };
  return { kind: 'send', messages: build(context.channel) };
}

function channelName(name: string): string {
  return name.startsWith('#') ? name : `#${name}`;
}
