import type { Connection } from '../connection.js';
import type { Handler, ServerContext } from '../context.js';
import { logIn } from '../login.js';

/** What each `FAIL REGISTER` code says to a person. */
const FAIL_TEXT = {
  BAD_ACCOUNT_NAME: 'Account names follow the rules of nicknames',
  INVALID_EMAIL: 'That is not an email address',
  WEAK_PASSWORD: 'Password is too weak',
  ACCOUNT_EXISTS: 'Account already exists',
  TEMPORARILY_UNAVAILABLE: 'Too many registrations from your address; try again later',
} as const;

/**
 * `REGISTER <account|*> <email|*> <password>` (IRCv3 draft/account-registration). The server sends no mail, so an
 * account is verified at once: `REGISTER SUCCESS`, and the user is logged in (900), as ergo does.
 */
export const register: Handler = async (context, connection, params) => {
  const fail = (code: string, account: string, text: string) =>
    connection.send(context.server('FAIL', 'REGISTER', code, account, text));
  const [given = '', email = '', password = ''] = params;
  // No `before-connect` in our offer: the account's nick and the rate limit's address are known by then.
  if (!connection.registered) return fail('COMPLETE_CONNECTION_REQUIRED', given, 'Complete connection first');
  const name = given === '*' ? (connection.nick ?? '*') : given;
  if (connection.account !== undefined) return fail('ALREADY_AUTHENTICATED', name, 'You are already logged in');
  const result = await context.accounts.register(name, email === '*' ? undefined : email, password, connection.ip);
  if (connection.closed) return;
  if (!result.ok) return fail(result.failure, name, result.problem ?? FAIL_TEXT[result.failure]);
  logRegistration(context, connection, result.account.name);
  connection.send(context.server('REGISTER', 'SUCCESS', result.account.name, 'Account created'));
  logIn(context, connection, result.account);
};

/** `VERIFY <account> <code>`: every account is verified when created, so there is never a code to give. */
export const verify: Handler = (context, connection, params) => {
  const [name = ''] = params;
  const account = context.accounts.find(name);
  if (account !== undefined && account.verifyCode === null) {
    return connection.send(
      context.server('FAIL', 'VERIFY', 'ACCOUNT_ALREADY_VERIFIED', account.name, 'Account is already verified'),
    );
  }
  connection.send(context.server('FAIL', 'VERIFY', 'INVALID_CODE', name, 'Invalid verification code'));
};

export function logRegistration(context: ServerContext, connection: Connection, account: string): void {
  context.log.info(
    { event: 'account_registered', id: connection.id, ip: connection.ip, account },
    'account registered',
  );
}
