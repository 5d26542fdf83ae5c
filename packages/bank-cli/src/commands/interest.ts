import { formatBps } from '../domain/arithmetic.js';
import { isoDay } from '../domain/calendar.js';
import { formatMoney } from '../domain/currency.js';
import { accrueInterest, interestRates, setInterestRate, type AccrualResult } from '../domain/interest.js';
import type { Currency } from '../domain/types.js';
import { iso } from '../domain/views.js';
import { renderAccrual } from '../render-interest.js';
import { renderTable } from '../render.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export function ratesListCommand(o: GlobalOptions): Promise<CommandResult> {
  return withUser(o, (ctx, admin) => {
    const rows = interestRates(ctx.bank, admin).map((r) => ({
      accountType: r.accountType,
      rate: formatBps(r.bps),
      from: isoDay(r.effectiveFrom),
      setAt: iso(r.createdAt),
    }));
    const text =
      rows.length === 0
        ? 'No interest rates set.'
        : renderTable(
            ['TYPE', 'RATE %', 'FROM'],
            rows.map((r) => [r.accountType, r.rate, r.from]),
            [1],
          );
    return { data: rows, text };
  });
}

export function ratesSetCommand(
  o: GlobalOptions & { from?: string },
  type: string,
  rate: string,
): Promise<CommandResult> {
  return withUser(o, (ctx, admin) => {
    const row = setInterestRate(ctx.bank, admin, type, rate, o.from);
    const data = { accountType: row.accountType, rate: formatBps(row.bps), from: isoDay(row.effectiveFrom) };
    return { data, text: `Interest on ${data.accountType} accounts: ${data.rate} % a year from ${data.from}.` };
  });
}

export function accrueCommand(o: GlobalOptions & { month?: string }): Promise<CommandResult> {
  return withUser(o, (ctx, admin) => {
    const result = accrueInterest(ctx.bank, admin, o.month ?? '');
    const c = ctx.bank.store.currency;
    return { data: accrualView(result, c), text: renderAccrual(result, c) };
  });
}

export function accrualView(r: AccrualResult, c: Currency) {
  return {
    month: r.month,
    alreadyPosted: r.alreadyPosted,
    postedAt: iso(r.postedAt),
    credited: r.credited.map((x) => ({ ...x, amount: formatMoney(x.amount, c) })),
    total: formatMoney(r.total, c),
  };
}
