import { formatMoney } from './domain/currency.js';
import { iso } from './domain/views.js';
import type { AlertSettings, Currency, Notification } from './domain/types.js';
import { renderTable } from './render.js';

export interface NotificationView {
  id: number;
  kind: string;
  message: string;
  createdAt: string;
  read: boolean;
  readAt: string | null;
}

export interface AlertsView {
  currency: string;
  /** a withdrawal or transfer out above this is notified; null: off */
  large: string | null;
  /** a balance falling below this is notified; null: off */
  low: string | null;
}

export function notificationView(n: Notification): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    message: n.message,
    createdAt: iso(n.createdAt),
    read: n.readAt !== null,
    readAt: n.readAt === null ? null : iso(n.readAt),
  };
}

export function renderNotifications(views: readonly NotificationView[], unreadOnly: boolean): string {
  if (views.length === 0) return unreadOnly ? 'No unread notifications.' : 'No notifications.';
  const rows = views.map((n) => [
    String(n.id),
    n.createdAt.slice(0, 19).replace('T', ' '),
    n.read ? '' : 'unread',
    n.message,
  ]);
  return renderTable(['ID', 'DATE (UTC)', 'STATUS', 'MESSAGE'], rows, [0]);
}

export function alertsView(a: AlertSettings, currency: Currency): AlertsView {
  const m = (x: number | null) => (x === null ? null : formatMoney(x, currency));
  return { currency: currency.code, large: m(a.largeAbove), low: m(a.lowBelow) };
}

export function renderAlerts(a: AlertsView): string {
  const line = (value: string | null, on: string) => (value === null ? 'off' : `${on} ${value} ${a.currency}`);
  return [`Large withdrawal or transfer out: ${line(a.large, 'above')}`, `Low balance: ${line(a.low, 'below')}`].join(
    '\n',
  );
}

export function unreadLine(count: number): string {
  return count === 0 ? 'No unread notifications.' : `You have ${count} unread notification${count === 1 ? '' : 's'}.`;
}
