import type { RegisterFailure } from '../accounts.js';
import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import { logIn, loginFailed } from '../login.js';
import { isServiceNick, NICKSERV_PREFIX } from '../services-nick.js';
import { logRegistration } from './register.js';

const HELP = [
  'NickServ lets you register your nickname as an account and log in to it.',
  'REGISTER <password> [email]   register your current nickname',
  'IDENTIFY [account] <password> log in (SASL PLAIN does the same when you connect)',
  'HELP                          this list',
];

const REGISTER_FAILURE: Readonly<Record<RegisterFailure, string>> = {
  BAD_ACCOUNT_NAME: 'That nickname cannot be registered.',
  INVALID_EMAIL: 'That is not an email address.',
  WEAK_PASSWORD: 'That password is too weak.',
  ACCOUNT_EXISTS: 'This nickname is already registered.',
  TEMPORARILY_UNAVAILABLE: 'Too many registrations from your address; try again later.',
};

/** `NS …` and `NICKSERV …`, as irssi's and WeeChat's /ns and /nickserv send them. */
export const nickserv: Handler = (context, connection, params) => service(context, connection, params.join(' '));

/** PRIVMSG to NickServ goes to the service; anything else to `deliver`. */
export function withNickServ(deliver: Handler): Handler {
  return (context, connection, params, tags) => {
    const [target = '', text = ''] = params;
    if (isServiceNick(target)) return service(context, connection, text);
    return deliver(context, connection, params, tags);
  };
}

async function service(context: ServerContext, connection: Connection, text: string): Promise<void> {
  const say = (line: string) =>
    connection.send(
      context.outgoing({ prefix: NICKSERV_PREFIX, command: 'NOTICE', params: [connection.target, line] }),
    );
  const [command = '', ...args] = text.trim().split(/ +/);
  switch (command.toUpperCase()) {
    case 'REGISTER': {
      const [password, email] = args;
      if (password === undefined) return say('Syntax: REGISTER <password> [email]');
      if (connection.account !== undefined) return say(`You are already logged in as ${connection.account}.`);
      const name = connection.target;
      const result = await context.accounts.register(name, email, password, connection.ip);
      if (connection.closed) return;
      if (!result.ok) return say(result.problem ?? REGISTER_FAILURE[result.failure]);
      logRegistration(context, connection, name);
      say(`Account ${result.account.name} registered; you are now logged in.`);
      return logIn(context, connection, result.account);
    }
    case 'IDENTIFY': {
      const [name, password] = args.length >= 2 ? args : [connection.target, args[0]];
      if (name === undefined || password === undefined) return say('Syntax: IDENTIFY [account] <password>');
      if (connection.account !== undefined) return say(`You are already logged in as ${connection.account}.`);
      const login = await context.accounts.authenticate(name, password, connection.ip);
      if (connection.closed) return;
      if (!login.ok) {
        say(login.throttled ? 'Too many failed logins; try again later.' : 'Invalid account or password.');
        return loginFailed(context, connection, name);
      }
      say(`You are now identified as ${login.account.name}.`);
      return logIn(context, connection, login.account);
    }
    case 'HELP':
    case '':
      return HELP.forEach(say);
    default:
      say(`Unknown command ${command}. Try HELP.`);
  }
}
