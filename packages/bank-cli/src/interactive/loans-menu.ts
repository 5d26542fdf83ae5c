import { parseRateBps } from '../domain/arithmetic.js';
import { formatMoney, parseMoney } from '../domain/currency.js';
import {
  allLoans,
  applyForLoan,
  approveLoan,
  myLoans,
  parseMonths,
  rejectLoan,
  repayLoan,
  showLoan,
} from '../domain/loans.js';
import type { LoanWithOwner, User } from '../domain/types.js';
import { loanDetailsView, loanView, renderLoanDetails, renderLoans } from '../render-loans.js';
import { validator } from './forms.js';
import type { MenuDeps } from './menu-types.js';
import { askAmount, pickOwnAccount } from './pickers.js';

/** User menu "Loans": apply, see a schedule, repay. */
export async function loansMenu(deps: MenuDeps, user: User): Promise<string> {
  const { bank, ui, prompts } = deps;
  const c$ = bank.store.currency;
  const what = await ui.ask((c) =>
    prompts.select(
      {
        message: 'Loans:',
        choices: [
          { name: 'Apply for a loan', value: 'apply' as const },
          { name: 'My loans and schedules', value: 'show' as const },
          { name: 'Repay', value: 'repay' as const },
        ],
      },
      c,
    ),
  );
  if (what === 'apply') {
    const account = await pickOwnAccount(deps, user, 'Pay the loan into which account?');
    const amount = await askAmount(deps, 'Amount to borrow:');
    const months = await ui.ask((c) =>
      prompts.input({ message: 'Repay over how many months (1-360)?', validate: validator(parseMonths) }, c),
    );
    const loan = applyForLoan(bank, user, account.number!, amount, months);
    return `Applied for loan #${loan.id}: ${formatMoney(loan.principal, c$)} ${c$.code} over ${loan.months} months; an administrator will decide.`;
  }
  const loans = myLoans(bank, user).filter((l) => what === 'show' || l.status === 'active');
  if (loans.length === 0) return what === 'show' ? 'You have no loans.' : 'You have no active loan.';
  const loan = await pickLoan(deps, loans, what === 'show' ? 'Which loan?' : 'Repay which loan?');
  if (what === 'show') return renderLoanDetails(loanDetailsView(showLoan(bank, user, String(loan.id)), c$));
  const due = formatMoney(showLoan(bank, user, String(loan.id)).nextDue, c$);
  const amount = await ui.ask((c) =>
    prompts.input(
      {
        message: `Amount (${c$.code}; next instalment ${due}):`,
        default: due,
        validate: validator((v) => parseMoney(v, c$)),
      },
      c,
    ),
  );
  const result = loanDetailsView(repayLoan(bank, user, String(loan.id), amount), c$);
  return result.status === 'closed'
    ? `Loan #${result.id} is paid off and closed.`
    : `Paid ${formatMoney(parseMoney(amount, c$), c$)} ${c$.code}. Outstanding: ${result.outstanding} ${c$.code}.`;
}

/** Admin menu "Loan applications": pick a pending loan, approve at a rate or reject. */
export async function loanApplicationsMenu(deps: MenuDeps, admin: User): Promise<string> {
  const { bank, ui, prompts } = deps;
  const all = allLoans(bank, admin);
  const table = renderLoans(all.map((l) => loanView(l, bank.store.currency)));
  const pending = all.filter((l) => l.status === 'pending');
  if (pending.length === 0) return `${table}\n\nNo loan applications are waiting.`;
  const loan = await pickLoan(deps, pending, `${table}\n\nDecide on which application?`);
  const decision = await ui.ask((c) =>
    prompts.select(
      {
        message: `Loan #${loan.id}:`,
        choices: [
          { name: 'Approve', value: 'approve' as const },
          { name: 'Reject', value: 'reject' as const },
        ],
      },
      c,
    ),
  );
  if (decision === 'reject') return `Loan #${rejectLoan(bank, admin, String(loan.id)).id} rejected.`;
  const rate = await ui.ask((c) =>
    prompts.input({ message: 'Annual rate in percent:', validate: validator(parseRateBps) }, c),
  );
  const view = loanDetailsView(approveLoan(bank, admin, String(loan.id), rate), bank.store.currency);
  return `Loan #${view.id} approved; ${view.principal} ${view.currency} paid into ${view.account}.\n${renderLoanDetails(view)}`;
}

function pickLoan({ bank, ui, prompts }: MenuDeps, loans: LoanWithOwner[], message: string): Promise<LoanWithOwner> {
  return ui.ask((c) =>
    prompts.select(
      {
        message,
        choices: loans.map((l) => {
          const v = loanView(l, bank.store.currency);
          return {
            name: `#${v.id}  ${v.owner}  ${v.principal} ${v.currency}  ${v.months} months  ${v.status}`,
            value: l,
          };
        }),
      },
      c,
    ),
  );
}
