import { randomUUID } from 'node:crypto';
import type { Connection } from './connection.js';

/**
 * A client-only tag name: `+`, an optional vendor (a host name) and `/`, then letters, digits and hyphens
 * (IRCv3 message-tags). Anything else a client sends is dropped rather than relayed.
 */
const CLIENT_TAG = /^\+(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9-]+$/;

/**
 * The tags a user's PRIVMSG, NOTICE or TAGMSG carries to everyone: a `msgid` made here, once, so that every
 * recipient, the echo and other servers see the same one; the sender's account, if logged in; and the sender's client-only tags, when the sender
 * negotiated `message-tags` (others may not send tags at all). Which readers see them is the Outgoing's business.
 */
export function userMessageTags(
  sender: Connection,
  tags: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const result: Record<string, string> = { msgid: randomUUID() };
  // account-tag: only readers with the capability see it (outgoing.ts).
  if (sender.account !== undefined) result['account'] = sender.account;
  if (tags === undefined || !sender.caps.has('message-tags')) return result;
  for (const [key, value] of Object.entries(tags)) if (CLIENT_TAG.test(key)) result[key] = value;
  return result;
}
