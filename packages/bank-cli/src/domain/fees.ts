import { divideHalfEven, toMinor } from './arithmetic.js';

/** A transfer fee: a fixed amount, or a percentage of the amount clamped to [min, max]. */
export type FeeRule =
  { kind: 'fixed'; fixed: number } | { kind: 'percent'; bps: number; min: number; max: number | null };

/** The fee, in minor units, for sending `amount`; percentages round half to even. */
export function transferFee(rule: FeeRule | undefined, amount: number): number {
  if (!rule) return 0;
  if (rule.kind === 'fixed') return rule.fixed;
  const raw = toMinor(divideHalfEven(BigInt(amount) * BigInt(rule.bps), 10_000n));
  const atLeast = Math.max(raw, rule.min);
  return rule.max === null ? atLeast : Math.min(atLeast, rule.max);
}
