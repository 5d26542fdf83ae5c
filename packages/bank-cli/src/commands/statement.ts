import { ValidationError } from '@quartet/core/errors';
import { monthlyStatement, parseStatementFormat } from '../domain/statement.js';
import { statementView } from '../domain/views.js';
import { renderStatementCsv, renderStatementText } from '../render-statement.js';
import { jsonForOutput, visible } from '../visible-text.js';
import { writeFileAtomic } from './atomic-file.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export interface StatementOptions {
  month?: string;
  format?: string;
  output?: string;
}

/** Prints the statement, or writes it to --output (-o) atomically and says where. */
export function statementCommand(o: GlobalOptions & StatementOptions, account: string): Promise<CommandResult> {
  const format = o.json ? 'json' : parseStatementFormat(o.format);
  if (o.month === undefined) throw new ValidationError('--month YYYY-MM is required');
  return withUser(o, (ctx, user) => {
    const view = statementView(monthlyStatement(ctx.bank, user, account, o.month!), ctx.bank.store.currency);
    // A file is read later, in a terminal or a spreadsheet: it gets the same safe text as stdout.
    const body =
      format === 'json'
        ? jsonForOutput(view)
        : visible(format === 'csv' ? renderStatementCsv(view) : renderStatementText(view));
    if (o.output === undefined) return { data: view, text: body };
    writeFileAtomic(o.output, `${body}${format === 'csv' ? '\r\n' : '\n'}`);
    return {
      data: { written: o.output, format, account: view.account, month: view.period.month },
      text: `Statement for ${view.account}, ${view.period.month}, written to ${o.output} (${format}).`,
    };
  });
}
