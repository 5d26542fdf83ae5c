import { myAlerts, setAlerts, type AlertChanges } from '../domain/alerts.js';
import { listNotifications, markNotificationsRead } from '../domain/notifications.js';
import { alertsView, notificationView, renderAlerts, renderNotifications } from '../render-notifications.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export function notificationsListCommand(o: GlobalOptions, unreadOnly: boolean): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const views = listNotifications(ctx.bank, user, unreadOnly).map(notificationView);
    return { data: views, text: renderNotifications(views, unreadOnly) };
  });
}

export function notificationsReadCommand(
  o: GlobalOptions,
  ids: readonly string[],
  all: boolean,
): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const marked = markNotificationsRead(ctx.bank, user, all ? 'all' : { ids });
    return {
      data: { marked },
      text: `Marked ${marked} notification${marked === 1 ? '' : 's'} read.`,
    };
  });
}

export function alertsShowCommand(o: GlobalOptions): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const view = alertsView(myAlerts(ctx.bank, user), ctx.bank.store.currency);
    return { data: view, text: renderAlerts(view) };
  });
}

export function alertsSetCommand(o: GlobalOptions, changes: AlertChanges): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const view = alertsView(setAlerts(ctx.bank, user, changes), ctx.bank.store.currency);
    return { data: view, text: `Alerts saved.\n${renderAlerts(view)}` };
  });
}
