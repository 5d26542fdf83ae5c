import type { Bank } from '../domain/bank.js';
import { deposit, transfer, withdraw } from '../domain/payments.js';
import type { HistoryRow, User } from '../domain/types.js';
import { entryView, transferView } from '../domain/views.js';
import { renderEntry, renderTransfer } from '../render.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export interface NoteOption {
  note?: string;
}

export function depositCommand(o: GlobalOptions & NoteOption, account: string, amount: string): Promise<CommandResult> {
  return entryCommand(o, (bank, user) => deposit(bank, user, account, amount, o.note));
}

export function withdrawCommand(
  o: GlobalOptions & NoteOption,
  account: string,
  amount: string,
): Promise<CommandResult> {
  return entryCommand(o, (bank, user) => withdraw(bank, user, account, amount, o.note));
}

export function transferCommand(
  o: GlobalOptions & NoteOption,
  from: string,
  to: string,
  amount: string,
): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const result = transfer(ctx.bank, user, from, to, amount, o.note);
    const view = transferView(result, ctx.bank.store.currency);
    return { data: view, text: renderTransfer(view) };
  });
}

/** Each money movement prints the entry it made, as seen from the account it was made on. */
function entryCommand(options: GlobalOptions, act: (bank: Bank, user: User) => HistoryRow): Promise<CommandResult> {
  return withUser(options, (ctx, user) => {
    const view = entryView(act(ctx.bank, user), ctx.bank.store.currency);
    return { data: view, text: renderEntry(view) };
  });
}
