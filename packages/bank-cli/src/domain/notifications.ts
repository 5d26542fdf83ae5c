import { NotFoundError, ValidationError } from '@quartet/core/errors';
import { requireActiveUser, type Bank } from './bank.js';
import type { Notification, User } from './types.js';

/** The user's own notifications, newest first. There is no administrator's view of them. */
export function listNotifications(bank: Bank, user: User, unreadOnly: boolean): Notification[] {
  const current = requireActiveUser(bank, user);
  return bank.store.notifications.list(current.id, unreadOnly);
}

export function unreadNotifications(bank: Bank, user: User): number {
  return bank.store.notifications.unreadCount(user.id);
}

export function parseNotificationIds(inputs: readonly string[]): number[] {
  return [
    ...new Set(
      inputs.map((input) => {
        if (!/^\d{1,15}$/.test(input) || Number(input) < 1) {
          throw new ValidationError(`notification id must be a positive whole number, got "${input}"`, {
            code: 'INVALID_NOTIFICATION_ID',
          });
        }
        return Number(input);
      }),
    ),
  ];
}

/**
 * Marks the given notifications (or all of them) read, all or none: one that is not the user's is reported
 * exactly like one that does not exist. Returns how many were marked (already read ones count for ids).
 */
export function markNotificationsRead(bank: Bank, user: User, target: { ids: readonly string[] } | 'all'): number {
  if (target !== 'all' && target.ids.length === 0) {
    throw new ValidationError('name the notifications to mark read (their ids), or pass --all', {
      code: 'NO_NOTIFICATIONS_GIVEN',
    });
  }
  const ids = target === 'all' ? [] : parseNotificationIds(target.ids);
  return bank.store.writeTransaction(() => {
    const current = requireActiveUser(bank, user);
    const { notifications } = bank.store;
    if (target === 'all') return notifications.markAllRead(current.id, bank.now());
    const owned = new Set(notifications.ownedIds(current.id, ids));
    const missing = ids.find((id) => !owned.has(id));
    if (missing !== undefined) {
      throw new NotFoundError(`notification #${missing} not found`, 'NOTIFICATION_NOT_FOUND');
    }
    notifications.markRead(current.id, ids, bank.now());
    return ids.length;
  });
}
