import type { Connection } from './connection.js';

/**
 * The IRCv3 capabilities this server offers, each with its `CAP LS 302` value (shown as `name=value` to 302 clients
 * only). What each is for:
 * - history replay: original times (`server-time`) and a marked group of lines (`batch`); history on request with
 *   CHATHISTORY, instead of the replay on JOIN (`draft/chathistory`);
 * - a command's replies marked with the client's `label` tag, several in a batch, none as ACK (`labeled-response`);
 * - every status of a member in NAMES, WHO and WHOIS (`multi-prefix`), `nick!user@host` in NAMES
 *   (`userhost-in-names`), one's own PRIVMSGs, NOTICEs and TAGMSGs sent back as delivered (`echo-message`);
 * - `msgid` and client-only tags on messages, and TAGMSG (`message-tags`);
 * - CAP NEW / CAP DEL when the offer changes (`cap-notify`; the offer is fixed, so it never does);
 * - peers' AWAY changes (`away-notify`), invites to channels one operates (`invite-notify`), and realname changes
 *   by SETNAME (`setname`);
 * - accounts: SASL login (`sasl`, PLAIN only), REGISTER and VERIFY (`draft/account-registration`: no email is
 *   sent and the account name may differ from the nick, so `custom-account-name`; only after connecting, so no
 *   `before-connect`), the sender's account on their messages (`account-tag`), peers' logins (`account-notify`)
 *   and a joiner's account and realname on JOIN (`extended-join`);
 * - an operator's CHGHOST giving a user another visible host (`chghost`).
 */
export const CAPABILITIES: ReadonlyMap<string, string | undefined> = new Map([
  ['account-notify', undefined],
  ['account-tag', undefined],
  ['away-notify', undefined],
  ['batch', undefined],
  ['cap-notify', undefined],
  ['chghost', undefined],
  ['draft/account-registration', 'custom-account-name'],
  ['draft/chathistory', undefined],
  ['echo-message', undefined],
  ['extended-join', undefined],
  ['invite-notify', undefined],
  ['labeled-response', undefined],
  ['message-tags', undefined],
  ['multi-prefix', undefined],
  ['sasl', 'PLAIN'],
  ['server-time', undefined],
  ['setname', undefined],
  ['userhost-in-names', undefined],
]);

/** Clients that said `CAP LS 302`: they get values and multiline replies, and `cap-notify` without asking. */
const version302 = new WeakSet<Connection>();

/**
 * A `CAP LS [version]`: remember a 302 client (for good: a later bare `CAP LS` does not undo it) and turn on its
 * implicit `cap-notify`. True when this request is 302, which decides the form of its own reply.
 */
export function noteCapVersion(connection: Connection, version: string | undefined): boolean {
  if (!(Number(version) >= 302)) return false; // also a bare `CAP LS`, whose version is missing
  version302.add(connection);
  connection.caps.add('cap-notify');
  return true;
}

export function speaks302(connection: Connection): boolean {
  return version302.has(connection);
}

/** The CAP LS tokens, with values only for 302 clients (older ones would take `name=value` for a name). */
export function offeredTokens(withValues: boolean): string[] {
  return [...CAPABILITIES].map(([name, value]) => (withValues && value !== undefined ? `${name}=${value}` : name));
}

/** True when a `CAP REQ` item cannot be granted: unknown, or switching off what may not be. */
export function unrequestable(connection: Connection, item: string): boolean {
  const name = item.replace(/^-/, '');
  if (!CAPABILITIES.has(name)) return true;
  // Spec: cap-notify is part of CAP LS 302 and cannot be turned off by a client that used it.
  return item === '-cap-notify' && speaks302(connection);
}

/**
 * Tokens cut into lines that fit `budget` bytes each (the rest of the CAP line is the caller's). A 302 client reads
 * `CAP * LS * :…` as "more follows"; an older one only ever gets the first line, which is all of it today.
 */
export function capLines(tokens: readonly string[], budget: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const next = line === '' ? token : `${line} ${token}`;
    if (Buffer.byteLength(next) > budget && line !== '') {
      lines.push(line);
      line = token;
    } else line = next;
  }
  lines.push(line);
  return lines;
}
