import type { Bank } from './bank.js';
import type { User } from './types.js';

/**
 * The admin action log: every administrator's change (roles, activity, limits, fees, rates, interest runs,
 * loans, two-factor resets) is one row, written inside the change's own transaction.
 */
export function log(bank: Bank, actor: User, action: string, target: string, detail: string | null): void {
  bank.store.adminLog.insert({ actorId: actor.id, action, target, detail, createdAt: bank.now() });
}
