import { parseWith, passwordFor } from '@quartet/core/validation';
import { listAccounts, openAccount } from '../domain/accounts.js';
import { changePassword } from '../domain/auth.js';
import { formatMoney, parseMoney } from '../domain/currency.js';
import { accountHistory } from '../domain/history.js';
import { deposit, transfer, withdraw } from '../domain/payments.js';
import type { User } from '../domain/types.js';
import { parseMonth } from '../domain/calendar.js';
import { monthlyStatement } from '../domain/statement.js';
import { feeFor } from '../domain/pricing.js';
import { accountView, entryView, statementView, transferView } from '../domain/views.js';
import { renderStatementText } from '../render-statement.js';
import { renderAccounts, renderEntry, renderHistory, renderTransfer } from '../render.js';
import { adminActions, adminChoices, type AdminAction } from './admin-menu.js';
import { loansMenu } from './loans-menu.js';
import { notificationsMenu } from './notifications-menu.js';
import { twoFactorMenu } from './two-factor-menu.js';
import { askAmount, askNote, pickOwnAccount, pickTarget } from './pickers.js';
import { validator } from './forms.js';
import type { MenuDeps } from './menu-types.js';
import { Back, errorLine, screen } from './terminal.js';

type UserAction =
  | 'accounts'
  | 'open'
  | 'deposit'
  | 'withdraw'
  | 'transfer'
  | 'history'
  | 'passwd'
  | 'statement'
  | 'loans'
  | 'two-factor'
  | 'notifications'
  | 'logout';

/** Loops until Log out (or Ctrl-C/Esc on the menu itself); returns the first menu's message. */
export async function userMenu(deps: MenuDeps, user: User, welcome: string): Promise<string> {
  const { ui, prompts } = deps;
  let flash = welcome;
  for (;;) {
    ui.clear();
    let action: UserAction | AdminAction;
    try {
      action = await ui.ask((context) =>
        prompts.select<UserAction | AdminAction>(
          {
            message: screen(`Logged in as ${user.username}${user.role === 'admin' ? ' (admin)' : ''}.`, flash),
            choices: [
              { name: 'My accounts', value: 'accounts' },
              { name: 'Open account', value: 'open' },
              { name: 'Deposit', value: 'deposit' },
              { name: 'Withdraw', value: 'withdraw' },
              { name: 'Transfer', value: 'transfer' },
              { name: 'History', value: 'history' },
              { name: 'Statement', value: 'statement' },
              { name: 'Loans', value: 'loans' },
              { name: 'Two-factor login', value: 'two-factor' },
              { name: 'Change password', value: 'passwd' },
              ...(user.role === 'admin' ? adminChoices() : []),
              { name: 'Notifications', value: 'notifications' },
              { name: 'Log out', value: 'logout' },
            ],
            pageSize: 30,
            theme: { prefix: '' },
          },
          context,
        ),
      );
    } catch (error) {
      if (error instanceof Back) return 'Logged out.';
      throw error;
    }
    if (action === 'logout') return 'Logged out.';
    try {
      flash = await (action in userActions
        ? userActions[action as Exclude<UserAction, 'logout'>](deps, user)
        : adminActions[action as AdminAction](deps, user));
    } catch (error) {
      flash = error instanceof Back ? 'Cancelled.' : errorLine(error);
    }
  }
}

const userActions: Record<Exclude<UserAction, 'logout'>, (deps: MenuDeps, user: User) => Promise<string>> = {
  accounts: ({ bank }, user) => Promise.resolve(accountsText(bank, user)),
  async open({ bank, ui, prompts }, user) {
    const type = await ui.ask((c) =>
      prompts.select(
        {
          message: 'Which kind of account?',
          choices: [
            { name: 'Savings', value: 'savings' },
            { name: 'Checking', value: 'checking' },
          ],
        },
        c,
      ),
    );
    const name = await ui.ask((c) => prompts.input({ message: 'Name (optional):' }, c));
    const view = accountView(openAccount(bank, user, type, name), bank.store.currency);
    return `Opened ${view.type} account ${view.number} "${view.name}".`;
  },
  async deposit(d, user) {
    const account = await pickOwnAccount(d, user, 'Deposit into which account?');
    const amount = await askAmount(d, 'Amount to deposit:');
    const note = await askNote(d);
    return renderEntry(entryView(deposit(d.bank, user, account.number!, amount, note), d.bank.store.currency));
  },
  async withdraw(d, user) {
    const account = await pickOwnAccount(d, user, 'Withdraw from which account?');
    const amount = await askAmount(d, 'Amount to withdraw:');
    const note = await askNote(d);
    return renderEntry(entryView(withdraw(d.bank, user, account.number!, amount, note), d.bank.store.currency));
  },
  async transfer(d, user) {
    const from = await pickOwnAccount(d, user, 'Transfer from which account?');
    const to = await pickTarget(d, user, from);
    const amount = await askAmount(d, 'Amount to transfer:');
    const note = await askNote(d);
    const c$ = d.bank.store.currency;
    const minor = parseMoney(amount, c$);
    const fee = feeFor(d.bank, from.kind, minor);
    const m = (x: number) => `${formatMoney(x, c$)} ${c$.code}`;
    const ok = await d.ui.ask((c) =>
      d.prompts.confirm(
        {
          message:
            `Transfer ${m(minor)} from ${from.number} to ${to.number} (${to.kind}, owner ${to.owner})? ` +
            `Fee: ${m(fee)}, total ${m(minor + fee)}.`,
          default: false,
        },
        c,
      ),
    );
    if (!ok) return 'Transfer cancelled; nothing was moved.';
    return renderTransfer(transferView(transfer(d.bank, user, from.number!, to.number!, amount, note), c$));
  },
  async history(d, user) {
    const account = await pickOwnAccount(d, user, 'History of which account?');
    const rows = accountHistory(d.bank, user, account.number!, { limit: '20' });
    return `History of ${account.number} "${account.name}" (latest 20):\n${renderHistory(rows.map((r) => entryView(r, d.bank.store.currency)))}`;
  },
  loans: loansMenu,
  'two-factor': twoFactorMenu,
  notifications: notificationsMenu,
  async statement(d, user) {
    const account = await pickOwnAccount(d, user, 'Statement of which account?');
    const month = await d.ui.ask((c) =>
      d.prompts.input(
        {
          message: 'Month (YYYY-MM):',
          default: new Date(d.bank.now()).toISOString().slice(0, 7),
          validate: validator(parseMonth),
        },
        c,
      ),
    );
    const statement = monthlyStatement(d.bank, user, account.number!, month);
    return renderStatementText(statementView(statement, d.bank.store.currency));
  },
  async passwd({ bank, ui, prompts }, user) {
    const current = await ui.ask((c) => prompts.password({ message: 'Current password:', mask: true }, c));
    const next = await ui.ask((c) =>
      prompts.password(
        {
          message: 'New password (12+ characters):',
          mask: true,
          validate: validator((pw: string) => parseWith(passwordFor(user.username), pw)),
        },
        c,
      ),
    );
    await ui.ask((c) =>
      prompts.password(
        {
          message: 'Repeat the new password:',
          mask: true,
          validate: (a: string) => a === next || 'the two passwords differ',
        },
        c,
      ),
    );
    await changePassword(bank, user, current, next);
    return 'Password changed.';
  },
};

function accountsText(bank: MenuDeps['bank'], user: User): string {
  const views = listAccounts(bank, user).map((a) => accountView(a, bank.store.currency));
  return views.length === 0 ? 'You have no accounts yet; choose "Open account".' : renderAccounts(views);
}
