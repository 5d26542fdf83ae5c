import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@quartet/core';
import { parseAccountNumber } from './account-number.js';
import { requireActiveUser, type Bank } from './bank.js';
import { parseMoney } from './currency.js';
import { post } from './ledger.js';
import type { AccountWithOwner, HistoryRow, User } from './types.js';

export const MAX_NOTE = 140;

export function parseNote(input: string | undefined): string | null {
  const note = (input ?? '').trim();
  if (note === '') return null;
  if (note.length > MAX_NOTE) throw new ValidationError(`note must be at most ${MAX_NOTE} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(note)) throw new ValidationError('note must not contain control characters');
  return note;
}

export function deposit(bank: Bank, user: User, account: string, amount: string, note?: string): HistoryRow {
  return cashMovement(bank, user, 'deposit', account, amount, note);
}

export function withdraw(bank: Bank, user: User, account: string, amount: string, note?: string): HistoryRow {
  return cashMovement(bank, user, 'withdrawal', account, amount, note);
}

/** The entry as seen from the `from` account (a transfer_out). */
export function transfer(
  bank: Bank,
  user: User,
  fromInput: string,
  toInput: string,
  amountInput: string,
  noteInput?: string,
): HistoryRow {
  // Everything that can be checked without the database is checked first.
  const fromNumber = parseAccountNumber(fromInput);
  const toNumber = parseAccountNumber(toInput);
  const amount = parseMoney(amountInput, bank.store.currency);
  const note = parseNote(noteInput);
  if (fromNumber === toNumber) throw new ConflictError('cannot transfer to the same account', 'SAME_ACCOUNT');

  return bank.store.writeTransaction(() => {
    requireActiveUser(bank, user);
    const from = ownAccount(bank, user, fromNumber);
    const to = findAccount(bank, toNumber);
    if (!to.ownerActive) {
      throw new ForbiddenError(
        `account ${toNumber} belongs to a deactivated user and cannot receive money`,
        'INACTIVE',
      );
    }
    const createdAt = bank.now();
    const posted = post(bank.store, {
      kind: 'transfer',
      note,
      actorId: user.id,
      createdAt,
      legs: [
        { accountId: from.id, amount: -amount },
        { accountId: to.id, amount },
      ],
    });
    return {
      transactionId: posted.transactionId,
      kind: 'transfer',
      amount: -amount,
      balanceAfter: posted.legs[0]!.balanceAfter,
      counterparty: to.number,
      counterpartyOwner: to.owner,
      note,
      createdAt,
    };
  });
}

/** A deposit or withdrawal posts the customer account against the bank's cash account. */
function cashMovement(
  bank: Bank,
  user: User,
  kind: 'deposit' | 'withdrawal',
  accountInput: string,
  amountInput: string,
  noteInput: string | undefined,
): HistoryRow {
  const number = parseAccountNumber(accountInput);
  const amount = parseMoney(amountInput, bank.store.currency);
  const note = parseNote(noteInput);
  const signed = kind === 'deposit' ? amount : -amount;

  return bank.store.writeTransaction(() => {
    requireActiveUser(bank, user);
    const account = ownAccount(bank, user, number);
    const cash = bank.store.accounts.bySystemCode('cash');
    if (!cash) throw new Error('the cash account is missing');
    const createdAt = bank.now();
    const posted = post(bank.store, {
      kind,
      note,
      actorId: user.id,
      createdAt,
      legs: [
        { accountId: account.id, amount: signed },
        { accountId: cash.id, amount: -signed },
      ],
    });
    return {
      transactionId: posted.transactionId,
      kind,
      amount: signed,
      balanceAfter: posted.legs[0]!.balanceAfter,
      counterparty: null,
      counterpartyOwner: null,
      note,
      createdAt,
    };
  });
}

export function findAccount(bank: Bank, number: string): AccountWithOwner {
  const account = bank.store.accounts.byNumber(number);
  if (!account) throw new NotFoundError(`account ${number} not found`, 'ACCOUNT_NOT_FOUND');
  return account;
}

/** Money only leaves (or, for cash, enters) an account its owner acts on. */
export function ownAccount(bank: Bank, user: User, number: string): AccountWithOwner {
  const account = findAccount(bank, number);
  if (account.ownerId !== user.id) throw new ForbiddenError(`account ${number} is not yours`, 'NOT_OWNER');
  return account;
}
