import { accountHistory, type HistoryOptions } from '../domain/history.js';
import { entryView } from '../domain/views.js';
import { renderHistory } from '../render.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export function historyCommand(options: GlobalOptions & HistoryOptions, account: string): Promise<CommandResult> {
  return withUser(options, (ctx, user) => {
    const rows = accountHistory(ctx.bank, user, account, options);
    const views = rows.map((row) => entryView(row, ctx.bank.store.currency));
    return { data: views, text: renderHistory(views) };
  });
}
