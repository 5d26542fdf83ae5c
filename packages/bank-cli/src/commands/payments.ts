import { deposit, transfer, withdraw } from '../domain/payments.js';
import { entryView } from '../domain/views.js';
import { renderEntry } from '../render.js';
import { authenticate, withBank, type CommandResult, type GlobalOptions } from './context.js';

export interface NoteOption {
  note?: string;
}

export function depositCommand(
  options: GlobalOptions & NoteOption,
  account: string,
  amount: string,
): Promise<CommandResult> {
  return withBank(options, async (ctx) => {
    const user = await authenticate(ctx);
    const view = entryView(deposit(ctx.bank, user, account, amount, options.note), ctx.bank.store.currency);
    return { data: view, text: renderEntry(view) };
  });
}

export function withdrawCommand(
  options: GlobalOptions & NoteOption,
  account: string,
  amount: string,
): Promise<CommandResult> {
  return withBank(options, async (ctx) => {
    const user = await authenticate(ctx);
    const view = entryView(withdraw(ctx.bank, user, account, amount, options.note), ctx.bank.store.currency);
    return { data: view, text: renderEntry(view) };
  });
}

export function transferCommand(
  options: GlobalOptions & NoteOption,
  from: string,
  to: string,
  amount: string,
): Promise<CommandResult> {
  return withBank(options, async (ctx) => {
    const user = await authenticate(ctx);
    const view = entryView(transfer(ctx.bank, user, from, to, amount, options.note), ctx.bank.store.currency);
    return { data: view, text: renderEntry(view) };
  });
}
