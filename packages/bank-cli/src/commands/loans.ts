import { formatMoney } from '../domain/currency.js';
import { allLoans, applyForLoan, approveLoan, myLoans, rejectLoan, repayLoan, showLoan } from '../domain/loans.js';
import { loanDetailsView, loanView, renderLoanDetails, renderLoans } from '../render-loans.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

export function loansApplyCommand(
  o: GlobalOptions & { months?: string },
  account: string,
  amount: string,
): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const view = loanView(applyForLoan(ctx.bank, user, account, amount, o.months), ctx.bank.store.currency);
    return {
      data: view,
      text: `Applied for loan #${view.id}: ${view.principal} ${view.currency} over ${view.months} months into ${view.account}; an administrator will decide.`,
    };
  });
}

export function loansListCommand(
  o: GlobalOptions & { status?: string | undefined },
  admin: boolean,
): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const loans = admin ? allLoans(ctx.bank, user, o.status) : myLoans(ctx.bank, user);
    const views = loans.map((l) => loanView(l, ctx.bank.store.currency));
    return { data: views, text: renderLoans(views) };
  });
}

export function loansShowCommand(o: GlobalOptions, id: string): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const view = loanDetailsView(showLoan(ctx.bank, user, id), ctx.bank.store.currency);
    return { data: view, text: renderLoanDetails(view) };
  });
}

export function loansRepayCommand(o: GlobalOptions, id: string, amount: string | undefined): Promise<CommandResult> {
  return withUser(o, (ctx, user) => {
    const result = repayLoan(ctx.bank, user, id, amount);
    const c = ctx.bank.store.currency;
    const view = loanDetailsView(result, c);
    const paid = formatMoney(result.payment, c);
    const text =
      view.status === 'closed'
        ? `Paid ${paid} ${c.code}; loan #${view.id} is paid off and closed.`
        : `Paid ${paid} ${c.code} on loan #${view.id}. Outstanding: ${view.outstanding} ${c.code}; next instalment due: ${view.nextDue} ${c.code}.`;
    return { data: { ...view, payment: paid }, text };
  });
}

export function loansDecideCommand(
  o: GlobalOptions & { rate?: string },
  id: string,
  decision: 'approve' | 'reject',
): Promise<CommandResult> {
  return withUser(o, (ctx, admin) => {
    const c = ctx.bank.store.currency;
    if (decision === 'reject') {
      const view = loanView(rejectLoan(ctx.bank, admin, id), c);
      return { data: view, text: `Loan #${view.id} rejected.` };
    }
    const view = loanDetailsView(approveLoan(ctx.bank, admin, id, o.rate ?? ''), c);
    return {
      data: view,
      text: `Loan #${view.id} approved at ${view.rate ?? ''} %; ${view.principal} ${c.code} paid into ${view.account}.\n${renderLoanDetails(view)}`,
    };
  });
}
