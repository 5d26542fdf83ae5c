import { formatMoney } from './currency.js';
import type { Store } from './store.js';
import type { Currency, NotificationKind } from './types.js';

/**
 * The texts of what the account holder is told, and the one way they are written. Callers run inside the
 * transaction of the event itself, so a notice (and its e-mail in the outbox, when e-mail is configured and the
 * user's address is verified) commits or rolls back with it.
 */
export function notify(
  store: Store,
  userId: number,
  kind: NotificationKind,
  message: string,
  at: number,
  key: string | null = null,
): void {
  const notificationId = store.notifications.insert({ userId, kind, message, key, createdAt: at });
  if (notificationId !== undefined) store.outbox?.enqueueIfVerified({ notificationId, userId, message, createdAt: at });
}

export function money(minor: number, currency: Currency): string {
  return `${formatMoney(minor, currency)} ${currency.code}`;
}

/** "2026-01-15 12:05 UTC" */
export function minuteUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const noticeText = {
  received: (amount: string, to: string, from: string, note: string | null) =>
    `Received ${amount} on ${to} from ${from}${note === null ? '' : `, note "${note}"`}.`,
  largeWithdrawal: (amount: string, from: string, limit: string) =>
    `Large withdrawal: ${amount} from ${from} (your alert: above ${limit}).`,
  largeTransfer: (amount: string, from: string, to: string, limit: string) =>
    `Large transfer: ${amount} from ${from} to ${to} (your alert: above ${limit}).`,
  lowBalance: (account: string, balance: string, limit: string) =>
    `Low balance: ${account} is at ${balance}, below your alert of ${limit}.`,
  failedLogins: (count: number) =>
    `${count} failed login attempt${count === 1 ? '' : 's'} since your last successful login.`,
  locked: (until: number) => `Your login was locked until ${minuteUtc(until)} after too many failed attempts.`,
  twoFactorOn: () => 'Two-factor login was turned on.',
  twoFactorOff: () => 'Two-factor login was turned off.',
  twoFactorReset: () => 'Two-factor login was turned off by an administrator.',
  loanDue: (loanId: number, n: number, amount: string, day: string) =>
    `Loan #${loanId}: instalment ${n} (${amount}) is due on ${day}.`,
  statement: (month: string, accounts: readonly string[]) =>
    `Your statement${accounts.length === 1 ? '' : 's'} for ${month} ${accounts.length === 1 ? 'is' : 'are'} ready ` +
    `(${accounts.join(', ')}): bank statement ACCOUNT --month ${month}.`,
};
