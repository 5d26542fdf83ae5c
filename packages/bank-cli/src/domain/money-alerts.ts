import { money, noticeText, notify } from './notices.js';
import type { Store } from './store.js';
import type { Account, Leg, TransactionKind } from './types.js';

interface Movement {
  kind: TransactionKind;
  note: string | null;
  createdAt: number;
}

/**
 * What a posting tells the account holders, decided from the legs just applied (`accounts[i]` before, `legs[i]`
 * after): money received by a transfer from someone else, a large withdrawal or transfer out, and a balance
 * crossing below the owner's low-balance alert. A balance already below it says nothing on the next debit.
 */
export function noticeMoneyMoved(
  store: Store,
  movement: Movement,
  accounts: readonly Account[],
  legs: readonly (Leg & { balanceAfter: number })[],
): void {
  const m = (minor: number) => money(minor, store.currency);
  legs.forEach((leg, i) => {
    const account = accounts[i]!;
    if (account.ownerId === null || account.number === null) return;
    const other = accounts.find((_, j) => j !== i && Math.sign(legs[j]!.amount) === -Math.sign(leg.amount));
    if (leg.amount > 0) {
      // Moving money between one's own accounts is no news to the owner.
      if (movement.kind !== 'transfer' || !other?.number || other.ownerId === account.ownerId) return;
      const text = noticeText.received(m(leg.amount), account.number, other.number, movement.note);
      return notify(store, account.ownerId, 'received', text, movement.createdAt);
    }
    const alerts = store.notifications.alerts(account.ownerId);
    const out = -leg.amount;
    if (alerts.largeAbove !== null && out > alerts.largeAbove) {
      const limit = m(alerts.largeAbove);
      if (movement.kind === 'withdrawal') {
        notify(
          store,
          account.ownerId,
          'large_payment',
          noticeText.largeWithdrawal(m(out), account.number, limit),
          movement.createdAt,
        );
      } else if (movement.kind === 'transfer') {
        const text = noticeText.largeTransfer(m(out), account.number, other?.number ?? '?', limit);
        notify(store, account.ownerId, 'large_payment', text, movement.createdAt);
      }
    }
    const before = leg.balanceAfter - leg.amount;
    if (alerts.lowBelow !== null && before >= alerts.lowBelow && leg.balanceAfter < alerts.lowBelow) {
      const text = noticeText.lowBalance(account.number, m(leg.balanceAfter), m(alerts.lowBelow));
      notify(store, account.ownerId, 'low_balance', text, movement.createdAt);
    }
  });
}
