import { ACCOUNT_TYPES } from '../domain/types.js';
import { describeFee, pricingTable, setDailyLimit, setTransferFee, type FeeInput } from '../domain/pricing.js';
import { formatMoney, parseMoney } from '../domain/currency.js';
import { parseRateBps } from '../domain/arithmetic.js';
import type { User } from '../domain/types.js';
import { renderTable } from '../render.js';
import { validator } from './forms.js';
import type { MenuDeps } from './menu-types.js';

/** Admin menu "Limits and fees": the table, then one change. */
export async function limitsAndFees(deps: MenuDeps, admin: User): Promise<string> {
  const { bank, ui, prompts } = deps;
  const c$ = bank.store.currency;
  const table = pricingTable(bank, admin);
  const rows = ACCOUNT_TYPES.map((t) => {
    const limit = table.limits.find((l) => l.accountType === t);
    const fee = table.fees.find((f) => f.accountType === t);
    return [t, limit ? formatMoney(limit.amount, c$) : 'none', fee ? describeFee(fee.rule, bank) : 'none'];
  });
  const what = await ui.ask((c) =>
    prompts.select(
      {
        message: `${renderTable(['TYPE', `DAILY LIMIT (${c$.code})`, 'TRANSFER FEE'], rows)}\n\nChange what?`,
        choices: [
          { name: 'Daily limit', value: 'limit' as const },
          { name: 'Transfer fee', value: 'fee' as const },
          { name: 'Nothing', value: 'nothing' as const },
        ],
      },
      c,
    ),
  );
  if (what === 'nothing') return 'Nothing changed.';
  const type = await ui.ask((c) =>
    prompts.select(
      { message: 'For which account type?', choices: ACCOUNT_TYPES.map((t) => ({ name: t, value: t })) },
      c,
    ),
  );
  const money = validator((v: string) => v === 'none' || parseMoney(v, c$));
  if (what === 'limit') {
    const amount = await ui.ask((c) =>
      prompts.input({ message: `Daily limit (${c$.code}, or "none"):`, validate: money }, c),
    );
    const limit = setDailyLimit(bank, admin, type, amount);
    return limit === null
      ? `No daily limit for ${type} accounts.`
      : `Daily limit for ${type} accounts: ${formatMoney(limit, c$)} ${c$.code}.`;
  }
  const kind = await ui.ask((c) =>
    prompts.select(
      {
        message: 'Kind of fee?',
        choices: [
          { name: 'Fixed amount', value: 'fixed' as const },
          { name: 'Percentage with minimum and maximum', value: 'percent' as const },
          { name: 'No fee', value: 'none' as const },
        ],
      },
      c,
    ),
  );
  let input: FeeInput | 'none' = 'none';
  if (kind === 'fixed') {
    input = { fixed: await ui.ask((c) => prompts.input({ message: `Fee (${c$.code}):`, validate: money }, c)) };
  } else if (kind === 'percent') {
    const percent = await ui.ask((c) => prompts.input({ message: 'Percent:', validate: validator(parseRateBps) }, c));
    const min = await ui.ask((c) =>
      prompts.input({ message: `Minimum (${c$.code}):`, default: '0', validate: money }, c),
    );
    const max = await ui.ask((c) =>
      prompts.input({ message: `Maximum (${c$.code}, or "none"):`, default: 'none', validate: money }, c),
    );
    input = { percent, min: min === '0' ? undefined : min, max: max === 'none' ? undefined : max };
  }
  const rule = setTransferFee(bank, admin, type, input);
  return rule
    ? `Transfer fee for ${type} accounts: ${describeFee(rule, bank)}.`
    : `No transfer fee for ${type} accounts.`;
}
