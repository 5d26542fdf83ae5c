import { ConflictError } from '@quartet/core/errors';
import type { Store } from './store.js';
import type { Account, Currency, Leg, TransactionKind } from './types.js';
import { formatMoney, MAX_BALANCE } from './currency.js';
import { noticeMoneyMoved } from './money-alerts.js';
import { accountLabel } from './verify.js';

/**
 * The one way money moves. Every deposit, withdrawal and transfer (and later
 * interest, fees and loans) is a transaction whose legs sum to zero. Customer
 * accounts may never go below zero; system accounts (cash, ...) may.
 */
export interface PostingRequest {
  kind: TransactionKind;
  note: string | null;
  actorId: number | null;
  createdAt: number;
  legs: readonly Leg[];
}

export interface PostedLeg extends Leg {
  balanceAfter: number;
}

export interface Posted {
  transactionId: number;
  legs: PostedLeg[];
}

/**
 * Must run inside `store.writeTransaction`, so the balances read here are the ones written. `loaded` are
 * accounts the caller has already read in this same transaction (so still current); the others are read here.
 */
export function post(store: Store, request: PostingRequest, loaded: readonly Account[] = []): Posted {
  assertBalancedLegs(request.legs);
  store.accounts.lock(request.legs.map((leg) => leg.accountId).sort((a, b) => a - b));
  const accounts = request.legs.map((leg) => {
    const account = loaded.find((a) => a.id === leg.accountId) ?? store.accounts.byId(leg.accountId);
    if (!account) throw new Error(`posting to unknown account id ${leg.accountId}`);
    return account;
  });
  const legs = applyLegs(accounts, request.legs, store.currency);
  const transactionId = store.ledger.insertTransaction({
    kind: request.kind,
    note: request.note,
    actorId: request.actorId,
    createdAt: request.createdAt,
  });
  for (const leg of legs) {
    store.ledger.insertPosting({ transactionId, ...leg });
    store.accounts.setBalance(leg.accountId, leg.balanceAfter);
  }
  // In the same database transaction as the postings: a rollback takes the notices with it.
  noticeMoneyMoved(store, request, accounts, legs);
  return { transactionId, legs };
}

/** Legs are programmer input, so a broken one is a bug, not a user error. */
export function assertBalancedLegs(legs: readonly Leg[]): void {
  if (legs.length < 2) throw new Error('a transaction needs at least two legs');
  const seen = new Set<number>();
  let sum = 0;
  for (const leg of legs) {
    if (!Number.isSafeInteger(leg.amount) || leg.amount === 0) throw new Error(`bad leg amount ${leg.amount}`);
    if (seen.has(leg.accountId)) throw new Error(`account id ${leg.accountId} appears twice in one transaction`);
    seen.add(leg.accountId);
    sum += leg.amount;
  }
  if (sum !== 0) throw new Error(`legs sum to ${sum}, not zero`);
}

/** The new balance of each leg's account, or InsufficientFunds for a customer account going negative. */
export function applyLegs(accounts: readonly Account[], legs: readonly Leg[], currency: Currency): PostedLeg[] {
  return legs.map((leg, i) => {
    const account = accounts[i];
    if (!account || account.id !== leg.accountId) throw new Error('accounts and legs are out of step');
    const balanceAfter = account.balance + leg.amount;
    // Past 2^53 a balance would be rounded. The message names the account, never its balance (it may be someone else's).
    if (Math.abs(balanceAfter) > MAX_BALANCE) {
      const m = (minor: number) => `${formatMoney(minor, currency)} ${currency.code}`;
      throw new ConflictError(
        `balance limit: account ${accountLabel(account)} cannot take ${m(Math.abs(leg.amount))} more; ` +
          `no account can hold more than ${m(MAX_BALANCE)}`,
        'BALANCE_LIMIT',
      );
    }
    if (balanceAfter < 0 && account.systemCode === null) {
      throw new ConflictError(
        `insufficient funds: ${account.number} has ${formatMoney(account.balance, currency)} ${currency.code}, ` +
          `needs ${formatMoney(-leg.amount, currency)}`,
        'INSUFFICIENT_FUNDS',
      );
    }
    return { accountId: leg.accountId, amount: leg.amount, balanceAfter };
  });
}
