import { ValidationError } from '@quartet/core/errors';
import { describeFee, pricingTable, setDailyLimit, setTransferFee, type FeeInput } from '../domain/pricing.js';
import { formatMoney } from '../domain/currency.js';
import { renderTable } from '../render.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export function limitsSetCommand(o: GlobalOptions, type: string, amount: string): Promise<CommandResult> {
  return withUser(o, (ctx, admin) => {
    const limit = setDailyLimit(ctx.bank, admin, type, amount);
    const c = ctx.bank.store.currency;
    const shown = limit === null ? null : formatMoney(limit, c);
    return {
      data: { accountType: type, dailyLimit: shown },
      text:
        shown === null
          ? `No daily limit for ${type} accounts.`
          : `Daily withdrawal and transfer limit for ${type} accounts: ${shown} ${c.code}.`,
    };
  });
}

export function feesSetCommand(o: GlobalOptions, type: string, input: FeeInput | string): Promise<CommandResult> {
  if (typeof input === 'string' && input !== 'none') {
    throw new ValidationError(`expected "none" or fee options, got "${input}"`, { code: 'INVALID_FEE' });
  }
  return withUser(o, (ctx, admin) => {
    const rule = setTransferFee(ctx.bank, admin, type, input);
    return {
      data: { accountType: type, fee: rule && describeFee(rule, ctx.bank) },
      text: rule
        ? `Transfer fee for ${type} accounts: ${describeFee(rule, ctx.bank)}.`
        : `No transfer fee for ${type} accounts.`,
    };
  });
}

/** Both tables in one listing: `bank admin limits` and `bank admin fees` print the same. */
export function pricingCommand(o: GlobalOptions): Promise<CommandResult> {
  return withUser(o, (ctx, admin) => {
    const table = pricingTable(ctx.bank, admin);
    const c = ctx.bank.store.currency;
    const data = {
      limits: table.limits.map((l) => ({ accountType: l.accountType, dailyLimit: formatMoney(l.amount, c) })),
      fees: table.fees.map((f) => ({ accountType: f.accountType, fee: describeFee(f.rule, ctx.bank) })),
    };
    const types = ['checking', 'savings'];
    const rows = types.map((t) => [
      t,
      data.limits.find((l) => l.accountType === t)?.dailyLimit ?? 'none',
      data.fees.find((f) => f.accountType === t)?.fee ?? 'none',
    ]);
    return { data, text: renderTable(['TYPE', `DAILY LIMIT (${c.code})`, 'TRANSFER FEE'], rows) };
  });
}
