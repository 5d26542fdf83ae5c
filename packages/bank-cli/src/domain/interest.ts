import { ConflictError } from '@quartet/core/errors';
import { parseAccountType } from './accounts.js';
import { log } from './admin-log.js';
import { formatBps, parseRateBps } from './arithmetic.js';
import { requireAdmin, type Bank } from './bank.js';
import { isoDay, nextMonth, parseDay, parseMonth, startOfDay } from './calendar.js';
import { monthlyInterest } from './interest-math.js';
import { post } from './ledger.js';
import { systemAccount } from './lookup.js';
import type { RateRow } from './store.js';
import type { User } from './types.js';

export interface AccrualResult {
  month: string;
  /** true when the month had been posted before: nothing was posted now */
  alreadyPosted: boolean;
  postedAt: number;
  credited: { number: string; owner: string | null; amount: number }[];
  total: number;
}

/**
 * A new annual rate for an account type, from `fromInput` (YYYY-MM-DD, UTC)
 * or today. History is kept; a rate may not start inside a month whose
 * interest is already posted, since that would change what was paid.
 */
export function setInterestRate(
  bank: Bank,
  admin: User,
  typeInput: string,
  rateInput: string,
  fromInput?: string,
): RateRow {
  const type = parseAccountType(typeInput);
  const bps = parseRateBps(rateInput);
  const from = fromInput === undefined ? startOfDay(bank.now()) : parseDay(fromInput, '--from');
  return bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    const last = bank.store.interest.lastRunMonth();
    const earliest = last === undefined ? undefined : nextMonth(parseMonth(last)).start;
    if (earliest !== undefined && from < earliest) {
      throw new ConflictError(
        `interest up to ${last} is already posted; a new rate can start on ${isoDay(earliest)} at the earliest`,
        'RATE_IN_POSTED_MONTH',
      );
    }
    const createdAt = bank.now();
    bank.store.interest.insertRate({ accountType: type, bps, effectiveFrom: from, actorId: actor.id, createdAt });
    log(bank, actor, 'rate', type, `${formatBps(bps)} % from ${isoDay(from)}`);
    return bank.store.interest.rates(type).at(-1)!;
  });
}

export function interestRates(bank: Bank, admin: User): RateRow[] {
  requireAdmin(bank, admin);
  return bank.store.interest.rates();
}

/**
 * Posts a month's interest on every customer account whose type has a rate,
 * from the interest-expense account, all in one transaction. The month's row
 * in interest_runs makes a second run a no-op; a month that has not ended is refused.
 */
export function accrueInterest(bank: Bank, admin: User, monthInput: string): AccrualResult {
  const month = parseMonth(monthInput);
  return bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    const now = bank.now();
    if (month.end > now) {
      throw new ConflictError(
        `${month.label} has not ended yet; its interest can be posted from ${isoDay(month.end)}`,
        'MONTH_NOT_ENDED',
      );
    }
    const previous = bank.store.interest.run(month.label);
    if (previous) {
      return {
        month: month.label,
        alreadyPosted: true,
        postedAt: previous.createdAt,
        credited: [],
        total: previous.total,
      };
    }
    const expense = systemAccount(bank, 'interest-expense');
    const rates = new Map<string, RateRow[]>();
    const credited: (AccrualResult['credited'][number] & { id: number })[] = [];
    for (const account of bank.store.accounts.listAll()) {
      if (!rates.has(account.kind)) rates.set(account.kind, bank.store.interest.rates(account.kind));
      const periods = rates.get(account.kind)!.map((r) => ({ from: r.effectiveFrom, bps: r.bps }));
      if (periods.length === 0) continue;
      const opening = bank.store.ledger.balanceBefore(account.id, month.start);
      const changes = bank.store.ledger
        .entriesBetween(account.id, month.start, month.end)
        .map((e) => ({ at: e.createdAt, balanceAfter: e.balanceAfter }));
      const amount = monthlyInterest(month, opening, changes, periods);
      if (amount > 0) credited.push({ id: account.id, number: account.number!, owner: account.owner, amount });
    }
    // Summed exactly; each posting below refuses to take interest-expense past the balance limit, so a total that
    // does not fit a safe integer never commits.
    const total = Number(credited.reduce((sum, c) => sum + BigInt(c.amount), 0n));
    // The run row first: each interest posting references its month.
    bank.store.interest.insertRun({
      month: month.label,
      actorId: actor.id,
      accounts: credited.length,
      total,
      createdAt: now,
    });
    for (const c of credited) {
      const { transactionId } = post(bank.store, {
        kind: 'interest',
        note: `interest ${month.label}`,
        actorId: actor.id,
        createdAt: now,
        legs: [
          { accountId: c.id, amount: c.amount },
          { accountId: expense.id, amount: -c.amount },
        ],
      });
      bank.store.interest.insertPosting({ month: month.label, accountId: c.id, transactionId, amount: c.amount });
    }
    log(bank, actor, 'accrue-interest', month.label, `${credited.length} accounts`);
    return {
      month: month.label,
      alreadyPosted: false,
      postedAt: now,
      credited: credited.map(({ number, owner, amount }) => ({ number, owner, amount })),
      total,
    };
  });
}
