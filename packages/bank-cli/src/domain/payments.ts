import { ConflictError, ForbiddenError, ValidationError } from '@quartet/core/errors';
import { assertPlainText } from '@quartet/core/text';
import { parseAccountNumber } from './account-number.js';
import type { Bank } from './bank.js';
import { formatMoney, parseMoney } from './currency.js';
import { checkDailyLimit, paymentRules } from './pricing.js';
import { transferFee } from './fees.js';
import { post } from './ledger.js';
import { activeOwnAccount, findAccount, systemAccount } from './lookup.js';
import type { HistoryRow, User } from './types.js';

export const MAX_NOTE = 140;

export function parseNote(input: string | undefined): string | null {
  const note = (input ?? '').trim();
  if (note === '') return null;
  if (note.length > MAX_NOTE) throw new ValidationError(`note must be at most ${MAX_NOTE} characters`);
  // Notes are shown later to others (the other side of a transfer, administrators): no escape sequences,
  // control characters or bidirectional overrides that could rewrite what they see.
  assertPlainText('note', note);
  return note;
}

export function deposit(bank: Bank, user: User, account: string, amount: string, note?: string): HistoryRow {
  return cashMovement(bank, user, 'deposit', account, amount, note);
}

export function withdraw(bank: Bank, user: User, account: string, amount: string, note?: string): HistoryRow {
  return cashMovement(bank, user, 'withdrawal', account, amount, note);
}

/** A transfer's entry as seen from the `from` account, and the fee charged with it (0: none). */
export interface TransferResult extends HistoryRow {
  fee: number;
  feeTransactionId: number | null;
}

/** The entry as seen from the `from` account (a transfer_out), plus its fee. */
export function transfer(
  bank: Bank,
  user: User,
  fromInput: string,
  toInput: string,
  amountInput: string,
  noteInput?: string,
): TransferResult {
  // Everything that can be checked without the database is checked first.
  const fromNumber = parseAccountNumber(fromInput);
  const toNumber = parseAccountNumber(toInput);
  const amount = parseMoney(amountInput, bank.store.currency);
  const note = parseNote(noteInput);
  if (fromNumber === toNumber) throw new ConflictError('cannot transfer to the same account', 'SAME_ACCOUNT');

  return bank.store.writeTransaction(() => {
    const from = activeOwnAccount(bank, user, fromNumber);
    const to = findAccount(bank, toNumber);
    if (!to.ownerActive) {
      throw new ForbiddenError(
        `account ${toNumber} belongs to a deactivated user and cannot receive money`,
        'INACTIVE',
      );
    }
    const rules = paymentRules(bank, from.kind);
    checkDailyLimit(bank, from, amount, rules.dailyLimit);
    const fee = transferFee(rules.fee, amount);
    if (fee > 0 && from.balance < amount + fee) {
      const m = (minor: number) => `${formatMoney(minor, bank.store.currency)} ${bank.store.currency.code}`;
      throw new ConflictError(
        `insufficient funds: ${from.number} has ${m(from.balance)}, needs ${m(amount + fee)} (${m(amount)} + fee ${m(fee)})`,
        'INSUFFICIENT_FUNDS',
      );
    }
    const createdAt = bank.now();
    const posted = post(
      bank.store,
      {
        kind: 'transfer',
        note,
        actorId: user.id,
        createdAt,
        legs: [
          { accountId: from.id, amount: -amount },
          { accountId: to.id, amount },
        ],
      },
      [from, to],
    );
    // The fee is its own ledger transaction in the same database transaction: both or neither.
    const feeTransactionId = fee > 0 ? chargeFee(bank, user, from.id, fee, posted.transactionId, createdAt) : null;
    return {
      fee,
      feeTransactionId,
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
    const account = activeOwnAccount(bank, user, number);
    if (kind === 'withdrawal') checkDailyLimit(bank, account, amount, paymentRules(bank, account.kind).dailyLimit);
    const cash = systemAccount(bank, 'cash');
    const createdAt = bank.now();
    const posted = post(
      bank.store,
      {
        kind,
        note,
        actorId: user.id,
        createdAt,
        legs: [
          { accountId: account.id, amount: signed },
          { accountId: cash.id, amount: -signed },
        ],
      },
      [account, cash],
    );
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

function chargeFee(bank: Bank, user: User, accountId: number, fee: number, forId: number, at: number): number {
  const income = systemAccount(bank, 'fee-income');
  return post(bank.store, {
    kind: 'fee',
    note: `fee for transfer #${forId}`,
    actorId: user.id,
    createdAt: at,
    legs: [
      { accountId, amount: -fee },
      { accountId: income.id, amount: fee },
    ],
  }).transactionId;
}
