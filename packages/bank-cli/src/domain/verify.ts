import { formatMoney } from './currency.js';
import { SYSTEM_ACCOUNTS, type Account, type Currency } from './types.js';

export interface LedgerFacts {
  currency: Currency;
  balances: readonly { account: Account; postedSum: number }[];
  unbalanced: readonly { id: number; sum: number; postings: number }[];
  /** Totals posted to system accounts, per transaction kind. */
  systemKinds?: readonly { systemCode: string; kind: string; total: number }[];
  /**
   * What each system account must hold according to the tables that explain
   * it (loans, interest runs): code and expected balance.
   */
  subledgers?: readonly { systemCode: string; expected: number; source: string }[];
}

/** Every discrepancy as one line; an empty list means the ledger is sound. */
export function findDiscrepancies(facts: LedgerFacts): string[] {
  const money = (minor: number) => `${formatMoney(minor, facts.currency)} ${facts.currency.code}`;
  const problems: string[] = [];
  let customerTotal = 0;
  let cash: Account | undefined;
  let otherSystemTotal = 0;
  const byCode = new Map<string, Account>();

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
    else if (account.systemCode !== null) otherSystemTotal += account.balance;
    if (account.systemCode !== null) byCode.set(account.systemCode, account);
  }
  for (const t of facts.unbalanced) {
    if (t.postings < 2) problems.push(`transaction ${t.id} has ${t.postings} posting(s); it needs at least two`);
    if (t.sum !== 0) problems.push(`transaction ${t.id}: postings sum to ${money(t.sum)}, not zero`);
  }
  if (!cash) problems.push('the cash account is missing');
  else if (cash.balance !== -(customerTotal + otherSystemTotal)) {
    // Money enters the bank only as cash: everything else is cash moved between accounts.
    const others = otherSystemTotal === 0 ? 'customer balances' : 'customer and other internal balances';
    problems.push(
      `cash account is ${money(cash.balance)} but minus the sum of ${others} is ${money(-(customerTotal + otherSystemTotal))}`,
    );
  }
  for (const { systemCode, kind, total } of facts.systemKinds ?? []) {
    const allowed = SYSTEM_ACCOUNTS.find((s) => s.code === systemCode)?.kinds as readonly string[] | undefined;
    if (!allowed?.includes(kind)) {
      problems.push(`system account (${systemCode}) was moved by ${kind} transactions (${money(total)})`);
    }
  }
  for (const { systemCode, expected, source } of facts.subledgers ?? []) {
    const account = byCode.get(systemCode);
    if (!account) problems.push(`the ${systemCode} account is missing`);
    else if (account.balance !== expected) {
      problems.push(`account (${systemCode}) is ${money(account.balance)} but ${source} say ${money(expected)}`);
    }
  }
  return problems;
}

export function accountLabel(account: Pick<Account, 'number' | 'systemCode'>): string {
  return account.number ?? `(${account.systemCode ?? '?'})`;
}
