import type { Bank } from './bank.js';
import type { MailOutboxStore, OutboxMail } from './store.js';

/** Tries per e-mail; after the last failure the row is dead and kept for inspection. */
export const MAX_MAIL_ATTEMPTS = 5;
const FIRST_RETRY_MS = 60_000;
/** Longer than a drain can take (its time budget plus one send's timeouts): a claimed row is not taken twice. */
export const MAIL_LEASE_MS = 120_000;

/** Stable per outbox row, so that a re-send after a crash is recognisably the same message. */
export function messageIdFor(id: number): string {
  return `<notification-${id}@bank.quartet>`;
}

/** "bank: " and the first words of the notice, cut at a word under 60 characters. */
export function subjectFor(message: string): string {
  const firstLine = message.split('\n', 1)[0] ?? '';
  if (firstLine.length <= 60) return `bank: ${firstLine}`;
  const cut = firstLine.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `bank: ${(space > 20 ? cut.slice(0, space) : cut).replace(/[,.:;]$/, '')}...`;
}

/** 1 minute after the first failure, then 2, 4, 8; the fifth failure is final (null). */
export function nextAttemptAfter(attempts: number, now: number): number | null {
  return attempts >= MAX_MAIL_ATTEMPTS ? null : now + FIRST_RETRY_MS * 2 ** (attempts - 1);
}

/**
 * Takes up to `limit` due e-mails under the write lock and leases them: two processes draining at once never
 * get the same row. A plain read first, so that a command with nothing due never takes the lock.
 */
export function claimMail(bank: Bank, outbox: MailOutboxStore, limit: number): OutboxMail[] {
  if (!outbox.anyDue(bank.now())) return [];
  return bank.store.bookkeepingTransaction(() => {
    const now = bank.now();
    const rows = outbox.due(now, limit);
    outbox.lease(
      rows.map((row) => row.id),
      now + MAIL_LEASE_MS,
    );
    return rows;
  });
}

export function recordSent(bank: Bank, outbox: MailOutboxStore, mail: OutboxMail): void {
  bank.store.bookkeepingTransaction(() => outbox.markSent(mail.id, messageIdFor(mail.id), bank.now()));
}

/** Counts the attempt and sets the next one by exponential backoff, or marks the row dead (returns true then). */
export function recordFailure(bank: Bank, outbox: MailOutboxStore, mail: OutboxMail, error: string): boolean {
  return bank.store.bookkeepingTransaction(() => {
    const now = bank.now();
    const attempts = mail.attempts + 1;
    const nextAttemptAt = nextAttemptAfter(attempts, now);
    outbox.markFailed(mail.id, { attempts, nextAttemptAt, deadAt: nextAttemptAt === null ? now : null, error });
    return nextAttemptAt === null;
  });
}

/** Claimed rows this drain did not get to: due again at once, no attempt counted. */
export function releaseMail(bank: Bank, outbox: MailOutboxStore, mails: readonly OutboxMail[]): void {
  if (mails.length === 0) return;
  bank.store.bookkeepingTransaction(() =>
    outbox.lease(
      mails.map((mail) => mail.id),
      bank.now(),
    ),
  );
}
