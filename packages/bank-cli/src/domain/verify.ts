import { formatMoney } from './currency.js';
import { SYSTEM_ACCOUNTS, type Account, type Currency } from './types.js';

/** Sums over many rows come as BigInts (they may pass 2^53); plain numbers are accepted too. */
type Minor = number | bigint;

export interface LedgerFacts {
  currency: Currency;
  balances: readonly { account: Account; postedSum: Minor }[];
  unbalanced: readonly { id: number; sum: Minor; postings: number }[];
  /** Totals posted to system accounts, per transaction kind. */
  systemKinds?: readonly { systemCode: string; kind: string; total: Minor }[];
  /**
   * What each system account must hold according to the tables that explain
   * it (loans, interest runs): code and expected balance.
   */
  subledgers?: readonly { systemCode: string; expected: Minor; source: string }[];
}

/**
 * Every discrepancy as one line; an empty list means the ledger is sound.
 * Totals are BigInts: customer balances together may pass 2^53 even though
 * each one is a safe integer (loans and interest add money that cash does not hold).
 */
export function findDiscrepancies(facts: LedgerFacts): string[] {
  const money = (minor: Minor) => `${formatMoney(BigInt(minor), facts.currency)} ${facts.currency.code}`;
  const problems: string[] = [];
  let customerTotal = 0n;
  let cash: Account | undefined;
  let otherSystemTotal = 0n;
  const byCode = new Map<string, Account>();

  for (const { account, postedSum } of facts.balances) {
    const label = accountLabel(account);
    if (BigInt(account.balance) !== BigInt(postedSum)) {
      problems.push(
        `account ${label}: balance is ${money(account.balance)} but its postings sum to ${money(postedSum)}`,
      );
    }
    if (account.systemCode === null) {
      customerTotal += BigInt(account.balance);
      if (account.balance < 0) problems.push(`account ${label} is negative: ${money(account.balance)}`);
    }
    if (account.systemCode === 'cash') cash = account;
    else if (account.systemCode !== null) otherSystemTotal += BigInt(account.balance);
    if (account.systemCode !== null) byCode.set(account.systemCode, account);
  }
  for (const t of facts.unbalanced) {
    if (t.postings < 2) problems.push(`transaction ${t.id} has ${t.postings} posting(s); it needs at least two`);
    if (BigInt(t.sum) !== 0n) problems.push(`transaction ${t.id}: postings sum to ${money(t.sum)}, not zero`);
  }
  if (!cash) problems.push('the cash account is missing');
  else if (BigInt(cash.balance) !== -(customerTotal + otherSystemTotal)) {
    // Money enters the bank only as cash: everything else is cash moved between accounts.
    const others = otherSystemTotal === 0n ? 'customer balances' : 'customer and other internal balances';
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
    else if (BigInt(account.balance) !== BigInt(expected)) {
      problems.push(`account (${systemCode}) is ${money(account.balance)} but ${source} say ${money(expected)}`);
    }
  }
  return problems;
}

export function accountLabel(account: Pick<Account, 'number' | 'systemCode'>): string {
  return account.number ?? `(${account.systemCode ?? '?'})`;
}
