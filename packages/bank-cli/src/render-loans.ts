import { formatBps } from './domain/arithmetic.js';
import { formatMoney } from './domain/currency.js';
import type { LoanDetails } from './domain/loans.js';
import type { Currency, LoanWithOwner } from './domain/types.js';
import { iso } from './domain/views.js';
import { renderTable } from './render.js';

/** The JSON shapes of loans; amounts are decimal strings, the rate a percentage string. */
export function loanView(loan: LoanWithOwner, c: Currency) {
  return {
    id: loan.id,
    account: loan.account,
    owner: loan.owner,
    principal: formatMoney(loan.principal, c),
    months: loan.months,
    status: loan.status,
    rate: loan.rateBps === null ? null : formatBps(loan.rateBps),
    appliedAt: iso(loan.appliedAt),
    decidedAt: loan.decidedAt === null ? null : iso(loan.decidedAt),
    closedAt: loan.closedAt === null ? null : iso(loan.closedAt),
    currency: c.code,
  };
}

export function loanDetailsView(d: LoanDetails, c: Currency) {
  const m = (x: number) => formatMoney(x, c);
  return {
    ...loanView(d.loan, c),
    schedule: d.schedule.map((i) => ({
      n: i.n,
      dueDate: i.dueDate,
      payment: m(i.principal + i.interest),
      principal: m(i.principal),
      interest: m(i.interest),
      remaining: m(i.remaining),
    })),
    totalInterest: m(d.totalInterest),
    totalToRepay: m(d.loan.principal + d.totalInterest),
    paid: m(d.paid),
    outstanding: m(d.outstanding),
    nextDue: m(d.nextDue),
  };
}
export type LoanDetailsView = ReturnType<typeof loanDetailsView>;

export function renderLoans(loans: readonly ReturnType<typeof loanView>[]): string {
  if (loans.length === 0) return 'No loans.';
  const rows = loans.map((l) => [
    `#${l.id}`,
    l.owner,
    l.account,
    `${l.principal} ${l.currency}`,
    String(l.months),
    l.rate === null ? '' : `${l.rate} %`,
    l.status,
  ]);
  return renderTable(['LOAN', 'OWNER', 'ACCOUNT', 'PRINCIPAL', 'MONTHS', 'RATE', 'STATUS'], rows, [3, 4, 5]);
}

export function renderLoanDetails(v: LoanDetailsView): string {
  const head = `Loan #${v.id} for ${v.owner}, account ${v.account}: ${v.principal} ${v.currency} over ${v.months} months, ${
    v.rate === null ? 'rate not set' : `${v.rate} % a year`
  }, ${v.status}.`;
  if (v.schedule.length === 0) return head;
  const rows = v.schedule.map((i) => [String(i.n), i.dueDate, i.payment, i.principal, i.interest, i.remaining]);
  const table = renderTable(['#', 'DUE', 'PAYMENT', 'PRINCIPAL', 'INTEREST', 'REMAINING'], rows, [0, 2, 3, 4, 5]);
  return [
    head,
    table,
    `Total: ${v.totalToRepay} ${v.currency} (principal ${v.principal} + interest ${v.totalInterest}).`,
    `Paid: ${v.paid}. Outstanding: ${v.outstanding}.${v.status === 'active' ? ` Next instalment due: ${v.nextDue}.` : ''}`,
  ].join('\n');
}
