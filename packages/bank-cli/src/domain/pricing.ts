import { ConflictError, ValidationError } from '@quartet/core/errors';
import { parseAccountType } from './accounts.js';
import { formatBps, parseRateBps } from './arithmetic.js';
import { requireAdmin, type Bank } from './bank.js';
import { startOfDay } from './calendar.js';
import { formatMoney, parseMoney } from './currency.js';
import { transferFee, type FeeRule } from './fees.js';
import { log } from './admin-log.js';
import type { FeeRow } from './store.js';
import type { Account, User } from './types.js';

/** What `--fixed`, `--percent`, `--min` and `--max` say, as typed. */
export interface FeeInput {
  fixed?: string | undefined;
  percent?: string | undefined;
  min?: string | undefined;
  max?: string | undefined;
}

export function setDailyLimit(bank: Bank, admin: User, typeInput: string, amountInput: string): number | null {
  const type = parseAccountType(typeInput);
  const amount = amountInput === 'none' ? null : parseMoney(amountInput, bank.store.currency);
  bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    bank.store.pricing.setDailyLimit(type, amount);
    const { currency } = bank.store;
    log(
      bank,
      actor,
      'limit',
      type,
      amount === null ? 'no limit' : `daily ${formatMoney(amount, currency)} ${currency.code}`,
    );
  });
  return amount;
}

export function setTransferFee(bank: Bank, admin: User, typeInput: string, input: FeeInput | 'none'): FeeRule | null {
  const type = parseAccountType(typeInput);
  const rule = input === 'none' ? null : parseFeeRule(input, bank);
  bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    bank.store.pricing.setFee(type, rule && toRow(rule));
    log(bank, actor, 'fee', type, rule ? describeFee(rule, bank) : 'no fee');
  });
  return rule;
}

export function parseFeeRule(input: FeeInput, bank: Bank): FeeRule {
  const money = (s: string) => parseMoney(s, bank.store.currency);
  if ((input.fixed === undefined) === (input.percent === undefined)) {
    throw new ValidationError('give either --fixed AMOUNT or --percent RATE (with optional --min and --max)', {
      code: 'INVALID_FEE',
    });
  }
  if (input.fixed !== undefined) {
    if (input.min !== undefined || input.max !== undefined) {
      throw new ValidationError('--min and --max apply to --percent fees only', { code: 'INVALID_FEE' });
    }
    return { kind: 'fixed', fixed: money(input.fixed) };
  }
  const min = input.min === undefined ? 0 : parseMoney(input.min, bank.store.currency);
  const max = input.max === undefined ? null : money(input.max);
  if (max !== null && max < min) throw new ValidationError('--max must not be below --min', { code: 'INVALID_FEE' });
  return { kind: 'percent', bps: parseRateBps(input.percent!, '--percent'), min, max };
}

export function describeFee(rule: FeeRule, bank: Bank): string {
  const m = (minor: number) => `${formatMoney(minor, bank.store.currency)} ${bank.store.currency.code}`;
  if (rule.kind === 'fixed') return `${m(rule.fixed)} per transfer`;
  return `${formatBps(rule.bps)} % per transfer, min ${m(rule.min)}${rule.max === null ? '' : `, max ${m(rule.max)}`}`;
}

export function pricingTable(bank: Bank, admin: User) {
  requireAdmin(bank, admin);
  return {
    limits: bank.store.pricing.limits(),
    fees: bank.store.pricing.fees().map((row) => ({ accountType: row.accountType, rule: fromRow(row) })),
  };
}

/** The daily limit and the fee rule a payment from an account of this type is subject to now (one read). */
export function paymentRules(bank: Bank, type: string): { dailyLimit: number | undefined; fee: FeeRule | undefined } {
  const { dailyLimit, fee } = bank.store.pricing.rules(type);
  return { dailyLimit, fee: fee && fromRow(fee) };
}

/** The fee a transfer of `amount` from an account of this type costs now. */
export function feeFor(bank: Bank, type: string, amount: number): number {
  return transferFee(paymentRules(bank, type).fee, amount);
}

/**
 * Refuses a withdrawal or outgoing transfer that would take today's (UTC)
 * total above the account type's daily limit. Called inside the payment's
 * BEGIN IMMEDIATE transaction, so concurrent processes are counted exactly.
 */
export function checkDailyLimit(bank: Bank, account: Account, amount: number, limit: number | undefined): void {
  if (limit === undefined) return;
  const used = bank.store.ledger.outgoingSince(account.id, startOfDay(bank.now()));
  const left = Math.max(limit - used, 0);
  if (amount > left) {
    const m = (minor: number) => `${formatMoney(minor, bank.store.currency)} ${bank.store.currency.code}`;
    throw new ConflictError(
      `daily limit exceeded: ${m(left)} of the ${m(limit)} daily limit for ${account.kind} accounts is left today (UTC)`,
      'DAILY_LIMIT',
    );
  }
}

function toRow(rule: FeeRule): Omit<FeeRow, 'accountType'> {
  return rule.kind === 'fixed'
    ? { kind: 'fixed', fixed: rule.fixed, bps: 0, min: 0, max: null }
    : { kind: 'percent', fixed: 0, bps: rule.bps, min: rule.min, max: rule.max };
}

function fromRow(row: FeeRow): FeeRule {
  return row.kind === 'fixed'
    ? { kind: 'fixed', fixed: row.fixed }
    : { kind: 'percent', bps: row.bps, min: row.min, max: row.max };
}
