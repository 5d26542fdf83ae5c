import { divideHalfEven, toMinor } from './arithmetic.js';

/**
 * A fixed-rate (annuity) schedule: equal instalments A = P r / (1 - (1+r)^-n)
 * with r = annual bps / 120000 per month, computed exactly on BigInts and
 * rounded half to even once. Each month's interest is the remaining
 * principal x r, rounded half to even; the rest of A repays principal. The
 * last instalment repays whatever principal is left, so it absorbs every
 * rounding remainder and the principal parts sum to P exactly.
 */
export interface Instalment {
  n: number;
  principal: number;
  interest: number;
  /** principal still owed after this instalment */
  remaining: number;
}

const MONTHLY = 120_000n; // 12 months x 10,000 bp

export function annuityPayment(principal: number, months: number, annualBps: number): number {
  const p = BigInt(principal);
  const n = BigInt(months);
  if (annualBps === 0) return toMinor(divideHalfEven(p, n));
  const b = BigInt(annualBps);
  const grown = (MONTHLY + b) ** n;
  const base = MONTHLY ** n;
  // P r (1+r)^n / ((1+r)^n - 1), with r = b / MONTHLY and everything over MONTHLY^n.
  return toMinor(divideHalfEven(p * b * grown, MONTHLY * (grown - base)));
}

export function amortize(principal: number, months: number, annualBps: number): Instalment[] {
  const payment = annuityPayment(principal, months, annualBps);
  const schedule: Instalment[] = [];
  let remaining = principal;
  for (let n = 1; n <= months; n += 1) {
    const interest = toMinor(divideHalfEven(BigInt(remaining) * BigInt(annualBps), MONTHLY));
    // Rounding the payment up could repay early; never repay more than is owed.
    const part = n === months ? remaining : Math.min(Math.max(payment - interest, 0), remaining);
    remaining -= part;
    schedule.push({ n, principal: part, interest, remaining });
  }
  return schedule;
}

export function scheduleTotals(schedule: readonly Instalment[]): { principal: number; interest: number } {
  return schedule.reduce((t, i) => ({ principal: t.principal + i.principal, interest: t.interest + i.interest }), {
    principal: 0,
    interest: 0,
  });
}

/**
 * How a payment splits, given what was paid before: instalments are settled
 * in order, each one's interest before its principal.
 */
export function allocatePayment(
  schedule: readonly Instalment[],
  paidBefore: number,
  amount: number,
): { principal: number; interest: number } {
  let skip = paidBefore;
  let left = amount;
  let principal = 0;
  let interest = 0;
  for (const i of schedule) {
    for (const [size, add] of [
      [i.interest, (x: number) => (interest += x)],
      [i.principal, (x: number) => (principal += x)],
    ] as const) {
      const fromSkip = Math.min(skip, size);
      skip -= fromSkip;
      const take = Math.min(left, size - fromSkip);
      left -= take;
      add(take);
    }
  }
  if (left > 0) throw new RangeError('payment exceeds the schedule');
  return { principal, interest };
}

/** What is due to settle the next unpaid instalment (in part paid already, perhaps). */
export function nextInstalmentDue(schedule: readonly Instalment[], paidBefore: number): number {
  let cumulative = 0;
  for (const i of schedule) {
    cumulative += i.principal + i.interest;
    if (cumulative > paidBefore) return cumulative - paidBefore;
  }
  return 0;
}
