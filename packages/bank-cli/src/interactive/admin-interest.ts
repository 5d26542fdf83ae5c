import { formatBps, parseRateBps } from '../domain/arithmetic.js';
import { isoDay, monthOf, parseMonth } from '../domain/calendar.js';
import { parseDay } from '../domain/calendar.js';
import { accrueInterest, interestRates, setInterestRate } from '../domain/interest.js';
import { ACCOUNT_TYPES, type User } from '../domain/types.js';
import { renderAccrual } from '../render-interest.js';
import { renderTable } from '../render.js';
import { validator } from './forms.js';
import type { MenuDeps } from './menu-types.js';

/** Admin menu "Interest rates": the history, then optionally a new rate. */
export async function ratesMenu({ bank, ui, prompts }: MenuDeps, admin: User): Promise<string> {
  const rows = interestRates(bank, admin).map((r) => [r.accountType, formatBps(r.bps), isoDay(r.effectiveFrom)]);
  const table = rows.length === 0 ? 'No interest rates set.' : renderTable(['TYPE', 'RATE %', 'FROM'], rows, [1]);
  const type = await ui.ask((c) =>
    prompts.select(
      {
        message: `${table}\n\nSet a new rate for?`,
        choices: [...ACCOUNT_TYPES.map((t) => ({ name: t, value: t })), { name: 'Nothing', value: '' }],
      },
      c,
    ),
  );
  if (type === '') return 'Nothing changed.';
  const rate = await ui.ask((c) =>
    prompts.input({ message: 'Annual rate in percent (such as 2.5):', validate: validator(parseRateBps) }, c),
  );
  const from = await ui.ask((c) =>
    prompts.input(
      {
        message: 'From (YYYY-MM-DD, UTC):',
        default: isoDay(bank.now()),
        validate: validator((v: string) => parseDay(v, 'date')),
      },
      c,
    ),
  );
  const row = setInterestRate(bank, admin, type, rate, from);
  return `Interest on ${row.accountType} accounts: ${formatBps(row.bps)} % a year from ${isoDay(row.effectiveFrom)}.`;
}

/** Admin menu "Post monthly interest": last month by default. */
export async function accrueMenu({ bank, ui, prompts }: MenuDeps, admin: User): Promise<string> {
  const now = new Date(bank.now());
  const month = await ui.ask((c) =>
    prompts.input(
      {
        message: 'Post interest for which month (YYYY-MM)?',
        default: monthOf(now.getUTCFullYear(), now.getUTCMonth() - 1).label,
        validate: validator(parseMonth),
      },
      c,
    ),
  );
  return renderAccrual(accrueInterest(bank, admin, month), bank.store.currency);
}
