import type { Bank } from './bank.js';
import { DAY_MS, monthOf, parseDay, startOfDay } from './calendar.js';
import { money, noticeText, notify } from './notices.js';
import type { StoredInstalment, User } from './types.js';

export const LOAN_DUE_DAYS = 3;

/**
 * Notices that come from the passing of time rather than from an event: a loan instalment due within
 * LOAN_DUE_DAYS, and last month's statement. Nothing runs on a timer, so they are made when the user logs in
 * (every command and the menus do); each has a key, so making them again changes nothing.
 */
export function noticeDueItems(bank: Bank, user: User, now: number): void {
  const { store } = bank;
  const today = startOfDay(now);
  for (const loan of store.loans.list({ userId: user.id, status: 'active' })) {
    const next = nextUnpaid(store.loans.instalments(loan.id), loan.principalPaid + loan.interestPaid);
    if (!next || parseDay(next.instalment.dueDate, 'due date') - today > LOAN_DUE_DAYS * DAY_MS) continue;
    const { n, dueDate } = next.instalment;
    const text = noticeText.loanDue(loan.id, n, money(next.left, store.currency), dueDate);
    notify(store, user.id, 'loan_due', text, now, `loan-due:${loan.id}:${n}`);
  }
  const d = new Date(now);
  const last = monthOf(d.getUTCFullYear(), d.getUTCMonth() - 1);
  const accounts = store.accounts.listByOwner(user.id).filter((a) => a.createdAt < last.end);
  if (accounts.length > 0) {
    const text = noticeText.statement(
      last.label,
      accounts.map((a) => a.number!),
    );
    notify(store, user.id, 'statement', text, now, `statement:${last.label}`);
  }
}

/** The first instalment not fully paid, and what is left of it. */
export function nextUnpaid(
  schedule: readonly StoredInstalment[],
  paid: number,
): { instalment: StoredInstalment; left: number } | undefined {
  let cumulative = 0;
  for (const instalment of schedule) {
    cumulative += instalment.principal + instalment.interest;
    if (cumulative > paid) return { instalment, left: cumulative - paid };
  }
  return undefined;
}
