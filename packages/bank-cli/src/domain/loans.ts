import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@quartet/core/errors';
import { parseAccountNumber } from './account-number.js';
import { log } from './admin-log.js';
import { allocatePayment, amortize, nextInstalmentDue } from './amortization.js';
import { formatBps, parseRateBps } from './arithmetic.js';
import { requireActiveUser, requireAdmin, type Bank } from './bank.js';
import { addMonths, isoDay } from './calendar.js';
import { formatMoney, parseMoney } from './currency.js';
import { post, type PostingRequest } from './ledger.js';
import { activeOwnAccount, systemAccount } from './lookup.js';
import type { LoanStatus, LoanWithOwner, StoredInstalment, User } from './types.js';

export const MAX_LOAN_MONTHS = 360;
const STATUSES: readonly LoanStatus[] = ['pending', 'rejected', 'active', 'closed'];

/** A loan with its schedule and where repayment stands. */
export interface LoanDetails {
  loan: LoanWithOwner;
  schedule: StoredInstalment[];
  totalInterest: number;
  paid: number;
  outstanding: number;
  /** what settles the next instalment (0 once paid off) */
  nextDue: number;
}

export function parseMonths(input: string | undefined): number {
  if (input === undefined || !/^\d+$/.test(input) || Number(input) < 1 || Number(input) > MAX_LOAN_MONTHS) {
    throw new ValidationError(`--months must be a whole number from 1 to ${MAX_LOAN_MONTHS}, got "${input ?? ''}"`, {
      code: 'INVALID_MONTHS',
    });
  }
  return Number(input);
}

export function parseLoanId(input: string): number {
  if (!/^\d{1,15}$/.test(input) || Number(input) < 1) {
    throw new ValidationError(`loan id must be a positive whole number, got "${input}"`, { code: 'INVALID_LOAN_ID' });
  }
  return Number(input);
}

export function parseLoanStatus(input: string | undefined): LoanStatus | undefined {
  if (input === undefined) return undefined;
  if (!(STATUSES as readonly string[]).includes(input)) {
    throw new ValidationError(`--status must be one of ${STATUSES.join(', ')}, got "${input}"`);
  }
  return input as LoanStatus;
}

export function applyForLoan(bank: Bank, user: User, accountInput: string, amountInput: string, monthsInput?: string) {
  const number = parseAccountNumber(accountInput);
  const principal = parseMoney(amountInput, bank.store.currency);
  const months = parseMonths(monthsInput);
  return bank.store.writeTransaction(() => {
    const account = activeOwnAccount(bank, user, number);
    const loan = bank.store.loans.insert({
      accountId: account.id,
      userId: user.id,
      principal,
      months,
      appliedAt: bank.now(),
    });
    return bank.store.loans.byId(loan.id)!;
  });
}

export function myLoans(bank: Bank, user: User): LoanWithOwner[] {
  const current = requireActiveUser(bank, user);
  return bank.store.loans.list({ userId: current.id });
}

export function allLoans(bank: Bank, admin: User, statusInput?: string): LoanWithOwner[] {
  const status = parseLoanStatus(statusInput);
  requireAdmin(bank, admin);
  return bank.store.loans.list({ status });
}

/**
 * Approval fixes the annual rate and the schedule, and pays the principal
 * into the borrower's account from the internal loan-asset account, in one
 * transaction. Nobody approves their own loan.
 */
export function approveLoan(bank: Bank, admin: User, idInput: string, rateInput: string): LoanDetails {
  const id = parseLoanId(idInput);
  const bps = parseRateBps(rateInput);
  return bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    const loan = pendingLoan(bank, id);
    if (loan.userId === actor.id) throw new ForbiddenError('you cannot approve your own loan', 'SELF');
    const borrower = bank.store.users.byId(loan.userId);
    if (!borrower?.active) throw new ForbiddenError(`${loan.owner} is deactivated`, 'INACTIVE');
    const now = bank.now();
    const schedule = amortize(loan.principal, loan.months, bps).map((i) => ({
      ...i,
      dueDate: isoDay(addMonths(now, i.n)),
    }));
    bank.store.loans.decide(id, { status: 'active', rateBps: bps, at: now, by: actor.id });
    bank.store.loans.insertInstalments(id, schedule);
    post(bank.store, {
      kind: 'loan_disbursement',
      note: `loan #${id}`,
      actorId: actor.id,
      createdAt: now,
      legs: [
        { accountId: loan.accountId, amount: loan.principal },
        { accountId: systemAccount(bank, 'loan-asset').id, amount: -loan.principal },
      ],
    });
    const money = formatMoney(loan.principal, bank.store.currency);
    log(bank, actor, 'loan-approve', `#${id}`, `${loan.owner}: ${money}, ${loan.months} months at ${formatBps(bps)} %`);
    return details(bank, bank.store.loans.byId(id)!);
  });
}

export function rejectLoan(bank: Bank, admin: User, idInput: string): LoanWithOwner {
  const id = parseLoanId(idInput);
  return bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    const loan = pendingLoan(bank, id);
    bank.store.loans.decide(id, { status: 'rejected', rateBps: null, at: bank.now(), by: actor.id });
    log(bank, actor, 'loan-reject', `#${id}`, `${loan.owner}: ${formatMoney(loan.principal, bank.store.currency)}`);
    return bank.store.loans.byId(id)!;
  });
}

/** The borrower or an administrator. */
export function showLoan(bank: Bank, user: User, idInput: string): LoanDetails {
  const id = parseLoanId(idInput);
  const current = requireActiveUser(bank, user);
  const loan = findLoan(bank, id);
  if (loan.userId !== current.id && current.role !== 'admin')
    throw new ForbiddenError(`loan #${id} is not yours`, 'NOT_OWNER');
  return details(bank, loan);
}

/**
 * Pays `amountInput`, or what settles the next instalment, from the loan's
 * account: interest to loan-interest, principal back to loan-asset, each
 * instalment's interest first. More than is owed is refused; paying it all closes the loan.
 */
export function repayLoan(
  bank: Bank,
  user: User,
  idInput: string,
  amountInput?: string,
): LoanDetails & { payment: number } {
  const id = parseLoanId(idInput);
  const requested = amountInput === undefined ? undefined : parseMoney(amountInput, bank.store.currency);
  return bank.store.writeTransaction(() => {
    requireActiveUser(bank, user);
    const loan = findLoan(bank, id);
    if (loan.userId !== user.id) throw new ForbiddenError(`loan #${id} is not yours`, 'NOT_OWNER');
    if (loan.status !== 'active')
      throw new ConflictError(`loan #${id} is ${loan.status}, not active`, 'LOAN_NOT_ACTIVE');
    const before = details(bank, loan);
    const amount = requested ?? before.nextDue;
    if (amount > before.outstanding) {
      const m = (x: number) => `${formatMoney(x, bank.store.currency)} ${bank.store.currency.code}`;
      throw new ConflictError(
        `overpayment: loan #${id} has ${m(before.outstanding)} left to pay, not ${m(amount)}`,
        'OVERPAYMENT',
      );
    }
    const split = allocatePayment(before.schedule, before.paid, amount);
    const legs: PostingRequest['legs'][number][] = [{ accountId: loan.accountId, amount: -amount }];
    if (split.principal > 0) legs.push({ accountId: systemAccount(bank, 'loan-asset').id, amount: split.principal });
    if (split.interest > 0) legs.push({ accountId: systemAccount(bank, 'loan-interest').id, amount: split.interest });
    const now = bank.now();
    post(bank.store, { kind: 'loan_repayment', note: `loan #${id}`, actorId: user.id, createdAt: now, legs });
    bank.store.loans.recordPayment(id, split.principal, split.interest, amount === before.outstanding ? now : null);
    return { ...details(bank, bank.store.loans.byId(id)!), payment: amount };
  });
}

function details(bank: Bank, loan: LoanWithOwner): LoanDetails {
  const schedule = bank.store.loans.instalments(loan.id);
  const totalInterest = schedule.reduce((sum, i) => sum + i.interest, 0);
  const paid = loan.principalPaid + loan.interestPaid;
  const owed = schedule.length === 0 ? 0 : loan.principal + totalInterest;
  return {
    loan,
    schedule,
    totalInterest,
    paid,
    outstanding: owed - paid,
    nextDue: nextInstalmentDue(schedule, paid),
  };
}

function findLoan(bank: Bank, id: number): LoanWithOwner {
  const loan = bank.store.loans.byId(id);
  if (!loan) throw new NotFoundError(`loan #${id} not found`, 'LOAN_NOT_FOUND');
  return loan;
}

function pendingLoan(bank: Bank, id: number): LoanWithOwner {
  const loan = findLoan(bank, id);
  if (loan.status !== 'pending') throw new ConflictError(`loan #${id} is ${loan.status}, not pending`, 'LOAN_DECIDED');
  return loan;
}
