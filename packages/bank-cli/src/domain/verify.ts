import { formatMoney } from './currency.js';
import type { Account, Currency } from './types.js';

export interface LedgerFacts {
  currency: Currency;
  balances: readonly { account: Account; postedSum: number }[];
  unbalanced: readonly { id: number; sum: number; postings: number }[];
}

/** Every discrepancy as one line; an empty list means the ledger is sound. */
export function findDiscrepancies(facts: LedgerFacts): string[] {
  const money = (minor: number) => `${formatMoney(minor, facts.currency)} ${facts.currency.code}`;
  const problems: string[] = [];
  let customerTotal = 0;
  let cash: Account | undefined;

  for (const { account, postedSum } of facts.balances) {
    const label = accountLabel(account);
    if (account.balance !== postedSum) {
      problems.push(
        `account ${label}: balance is ${money(account.balance)} but its postings sum to ${money(postedSum)}`,
      );
    }
    if (account.systemCode === null) {
      customerTotal += account.balance;
      if (account.balance < 0) problems.push(`account ${label} is negative: ${money(account.balance)}`);
    }
    if (account.systemCode === 'cash') cash = account;
  }
  for (const t of facts.unbalanced) {
    if (t.postings < 2) problems.push(`transaction ${t.id} has ${t.postings} posting(s); it needs at least two`);
    if (t.sum !== 0) problems.push(`transaction ${t.id}: postings sum to ${money(t.sum)}, not zero`);
  }
  if (!cash) problems.push('the cash account is missing');
  else if (cash.balance !== -customerTotal) {
    problems.push(
      `cash account is ${money(cash.balance)} but minus the sum of customer balances is ${money(-customerTotal)}`,
    );
  }
  return problems;
}

export function accountLabel(account: Pick<Account, 'number' | 'systemCode'>): string {
  return account.number ?? `(${account.systemCode ?? '?'})`;
}
