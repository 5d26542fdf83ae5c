import { listNotifications, markNotificationsRead, unreadNotifications } from '../domain/notifications.js';
import type { User } from '../domain/types.js';
import { notificationView, renderNotifications, unreadLine } from '../render-notifications.js';
import type { MenuDeps } from './menu-types.js';

/** User menu "Notifications": the list, newest first, and marking them all read. */
export async function notificationsMenu(deps: MenuDeps, user: User): Promise<string> {
  const { bank, ui, prompts } = deps;
  const views = listNotifications(bank, user, false).map(notificationView);
  if (views.length === 0) return renderNotifications(views, false);
  const unread = views.filter((n) => !n.read).length;
  const what = await ui.ask((c) =>
    prompts.select(
      {
        message: `${renderNotifications(views, false)}\n\n${unreadLine(unread)}`,
        choices: [
          ...(unread > 0 ? [{ name: 'Mark all read', value: 'read' as const }] : []),
          { name: 'Back', value: 'back' as const },
        ],
        theme: { prefix: '' },
      },
      c,
    ),
  );
  if (what === 'back') return '';
  const marked = markNotificationsRead(bank, user, 'all');
  return `Marked ${marked} notification${marked === 1 ? '' : 's'} read.`;
}

/** What the user menu says first after a login: the unread count, when there is something unread. */
export function loginNotice(deps: MenuDeps, user: User): string {
  const unread = unreadNotifications(deps.bank, user);
  return unread === 0 ? '' : unreadLine(unread);
}
