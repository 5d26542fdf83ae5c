import { ValidationError } from '@quartet/core/errors';
import { requireActiveUser, type Bank } from './bank.js';
import { parseMoney } from './currency.js';
import type { AlertSettings, User } from './types.js';

/** What `alerts set` changes: a new threshold, "off", or (undefined) left as it is. */
export interface AlertChanges {
  large?: string | undefined;
  low?: string | undefined;
}

export function myAlerts(bank: Bank, user: User): AlertSettings {
  const current = requireActiveUser(bank, user);
  return bank.store.notifications.alerts(current.id);
}

/**
 * `large`: a withdrawal or transfer out above it is notified. `low`: a balance going from at least it to below
 * it is notified (once per crossing). "off" turns one off.
 */
export function setAlerts(bank: Bank, user: User, changes: AlertChanges): AlertSettings {
  if (changes.large === undefined && changes.low === undefined) {
    throw new ValidationError('alerts set needs --large AMOUNT and/or --low AMOUNT (or "off")', {
      code: 'NO_ALERT_GIVEN',
    });
  }
  const large = parseThreshold('--large', changes.large, bank);
  const low = parseThreshold('--low', changes.low, bank);
  return bank.store.writeTransaction(() => {
    const current = requireActiveUser(bank, user);
    const before = bank.store.notifications.alerts(current.id);
    const after: AlertSettings = {
      largeAbove: large === undefined ? before.largeAbove : large,
      lowBelow: low === undefined ? before.lowBelow : low,
    };
    bank.store.notifications.setAlerts(current.id, after);
    return after;
  });
}

/** undefined: unchanged; null: off. */
function parseThreshold(flag: string, input: string | undefined, bank: Bank): number | null | undefined {
  if (input === undefined) return undefined;
  if (input === 'off') return null;
  try {
    return parseMoney(input, bank.store.currency);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`${flag}: ${error.message} (or "off")`, { code: 'INVALID_ALERT' });
  }
}
