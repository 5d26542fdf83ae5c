import { listAccounts, payeeAccounts } from '../domain/accounts.js';
import { formatMoney, parseMoney } from '../domain/currency.js';
import { parseNote } from '../domain/payments.js';
import type { AccountWithOwner, User } from '../domain/types.js';
import { visible } from '../visible-text.js';
import { validator } from './forms.js';
import type { MenuDeps } from './menu-types.js';

/** The questions the money forms share. Accounts are always picked from lists. */
export async function pickOwnAccount(
  { bank, ui, prompts }: MenuDeps,
  user: User,
  message: string,
): Promise<AccountWithOwner> {
  const accounts = listAccounts(bank, user);
  if (accounts.length === 0) throw new Error('you have no accounts yet; choose "Open account" first');
  const c$ = bank.store.currency;
  return ui.ask((c) =>
    prompts.select(
      {
        message,
        choices: accounts.map((a) => ({
          name: `${a.number}  ${a.kind.padEnd(8)}  ${visible(a.name)}  ${formatMoney(a.balance, c$)} ${c$.code}`,
          value: a,
        })),
      },
      c,
    ),
  );
}

/** Your other accounts, or any active customer's, picked from lists: nobody types a number. */
export async function pickTarget(
  { bank, ui, prompts }: MenuDeps,
  user: User,
  from: AccountWithOwner,
): Promise<AccountWithOwner> {
  const own = listAccounts(bank, user).filter((a) => a.id !== from.id);
  const someoneElse = 'someone-else' as const;
  const choice = await ui.ask((c) =>
    prompts.select<AccountWithOwner | typeof someoneElse>(
      {
        message: 'Transfer to?',
        choices: [
          ...own.map((a) => ({ name: `${a.number}  ${a.kind.padEnd(8)}  ${visible(a.name)}  (mine)`, value: a })),
          { name: "Another customer's account…", value: someoneElse },
        ],
      },
      c,
    ),
  );
  if (choice !== someoneElse) return choice;
  const username = await ui.ask((c) => prompts.input({ message: 'Their username:' }, c));
  const accounts = payeeAccounts(bank, username);
  return ui.ask((c) =>
    prompts.select(
      {
        message: `Which of ${accounts[0]!.owner ?? username}'s accounts?`,
        choices: accounts.map((a) => ({ name: `${a.number}  ${a.kind.padEnd(8)}  ${visible(a.name)}`, value: a })),
      },
      c,
    ),
  );
}

export function askAmount({ bank, ui, prompts }: MenuDeps, message: string): Promise<string> {
  const currency = bank.store.currency;
  return ui.ask((c) =>
    prompts.input({ message: `${message} (${currency.code})`, validate: validator((v) => parseMoney(v, currency)) }, c),
  );
}

export function askNote({ ui, prompts }: MenuDeps): Promise<string> {
  return ui.ask((c) => prompts.input({ message: 'Note (optional):', validate: validator(parseNote) }, c));
}
