import { listAccounts, openAccount } from '../domain/accounts.js';
import { accountView } from '../domain/views.js';
import { renderAccounts } from '../render.js';
import { authenticate, withBank, type CommandResult, type GlobalOptions } from './context.js';

export function accountsListCommand(options: GlobalOptions): Promise<CommandResult> {
  return withBank(options, async (ctx) => {
    const user = await authenticate(ctx);
    const views = listAccounts(ctx.bank, user).map((a) => accountView(a, ctx.bank.store.currency));
    return { data: views, text: renderAccounts(views) };
  });
}

export function accountsOpenCommand(options: GlobalOptions, type: string, name?: string): Promise<CommandResult> {
  return withBank(options, async (ctx) => {
    const user = await authenticate(ctx);
    const view = accountView(openAccount(ctx.bank, user, type, name), ctx.bank.store.currency);
    return { data: view, text: `Opened ${view.type} account ${view.number} "${view.name}".` };
  });
}
