import { isValidNick, toUsername } from '../protocol/casemap.js';
import type { Message } from '../protocol/message.js';
import { parseInput } from '../protocol/user-input.js';
import type { Connection } from './connection.js';
import type { ServerContext } from './context.js';
import { claimNick, renamer, welcome } from './commands/registration.js';
import { checkNickOwnership, nickRefused } from './nick-ownership.js';
import { isServiceNick } from './services-nick.js';
import { passwordMatches } from './server-password.js';

/**
 * The brief's own protocol, for nc and telnet: first line a nick, then text, `/commands`. On a server with a
 * password, the password comes first.
 */
export function plainGreeting(hasPassword: boolean): string {
  return hasPassword
    ? '*** Welcome. IRC clients register with PASS as usual; on nc or telnet, type the server password and press Enter.'
    : '*** Welcome. IRC clients register as usual; on nc or telnet, type a nickname and press Enter.';
}

export function plainLine(
  context: ServerContext,
  connection: Connection,
  line: string,
  dispatch: Dispatch,
): void | Promise<void> {
  if (!connection.registered) {
    if (context.info.password !== undefined && connection.password === undefined)
      return checkPassword(context, connection, line);
    return chooseNick(context, connection, line.trim(), dispatch);
  }
  const action = parseInput(line, { channel: connection.currentChannel, isOper: connection.isOper });
  switch (action.kind) {
    case 'send':
      return sequence(action.messages, dispatch);
    case 'quit':
      return dispatch({ command: 'QUIT', params: [action.reason] });
    case 'help':
      for (const text of action.lines) connection.sendText(text);
      return;
    case 'error':
      connection.sendText(`! ${action.text}`);
      return;
    case 'none':
      return;
  }
}

type Dispatch = (message: Message) => void | Promise<void>;

/** One try, as for IRC clients: a wrong password closes the connection. */
function checkPassword(context: ServerContext, connection: Connection, line: string): void {
  if (!passwordMatches(context.info.password, line)) {
    context.log.info({ event: 'bad_password', id: connection.id, ip: connection.ip }, 'wrong server password');
    return context.disconnect(connection, 'Bad password');
  }
  connection.password = line;
  connection.sendText('Password accepted. Type a nickname and press Enter:');
}

function chooseNick(
  context: ServerContext,
  connection: Connection,
  nick: string,
  dispatch: Dispatch,
): void | Promise<void> {
  if (!isValidNick(nick)) {
    connection.sendText(
      `! "${nick}" is not a valid nickname: up to 30 letters, digits and [ ] \\ \` _ ^ { | } -, not starting with a digit or -. Try another:`,
    );
    return;
  }
  // Someone on nc cannot log in before choosing a nick, so an owned one is refused outright when the flag says so.
  if (isServiceNick(nick) || nickRefused(context, connection, nick)) {
    connection.sendText(`! The nickname ${nick} is reserved. Try another:`);
    return;
  }
  const claimed = claimNick(context, connection, nick);
  if (claimed instanceof Promise) return claimed.then((ok) => nickChosen(context, connection, nick, ok, dispatch));
  nickChosen(context, connection, nick, claimed, dispatch);
}

function nickChosen(
  context: ServerContext,
  connection: Connection,
  nick: string,
  ok: boolean,
  dispatch: Dispatch,
): void {
  if (!ok) {
    connection.sendText(`! The nickname ${nick} is taken. Try another:`);
    return;
  }
  connection.user = toUsername(nick);
  connection.realname = nick;
  if (!welcome(context, connection)) return;
  checkNickOwnership(context, connection, renamer(context));
  connection.sendText('Type a message and press Enter to talk; /help lists the commands.');
  // Through the ordinary JOIN handler, so that everyone in the lobby sees it.
  void dispatch({ command: 'JOIN', params: [context.info.lobby] });
}

/** Run messages in order; if one is asynchronous (OPER), the rest wait for it. */
function sequence(messages: readonly Message[], dispatch: Dispatch): void | Promise<void> {
  for (const [index, message] of messages.entries()) {
    const result = dispatch(message);
    if (result instanceof Promise) return result.then(() => sequence(messages.slice(index + 1), dispatch));
  }
}
