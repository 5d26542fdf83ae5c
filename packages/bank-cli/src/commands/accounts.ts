import { listAccounts, openAccount } from '../domain/accounts.js';
import { accountView } from '../domain/views.js';
import { renderAccounts } from '../render.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export function accountsListCommand(options: GlobalOptions): Promise<CommandResult> {
  return withUser(options, (ctx, user) => {
    const views = listAccounts(ctx.bank, user).map((a) => accountView(a, ctx.bank.store.currency));
    return { data: views, text: renderAccounts(views) };
  });
}

export function accountsOpenCommand(options: GlobalOptions, type: string, name?: string): Promise<CommandResult> {
  return withUser(options, (ctx, user) => {
    const view = accountView(openAccount(ctx.bank, user, type, name), ctx.bank.store.currency);
    return { data: view, text: `Opened ${view.type} account ${view.number} "${view.name}".` };
  });
}
