import { ConflictError, NotFoundError, ValidationError } from '@quartet/core/errors';
import { assertPlainText } from '@quartet/core/text';
import { generateAccountNumber } from './account-number.js';
import { requireActiveUser, type Bank } from './bank.js';
import { ACCOUNT_TYPES, type AccountWithOwner, type CustomerAccountType, type User } from './types.js';

export const MAX_ACCOUNT_NAME = 40;
const NUMBER_ATTEMPTS = 10;

export function parseAccountType(input: string): CustomerAccountType {
  const type = input.trim().toLowerCase();
  if (!(ACCOUNT_TYPES as readonly string[]).includes(type)) {
    throw new ValidationError(`account type must be savings or checking, got "${input}"`, {
      code: 'INVALID_ACCOUNT_TYPE',
    });
  }
  return type as CustomerAccountType;
}

export function parseAccountName(input: string | undefined, type: CustomerAccountType): string {
  const name = (input ?? '').trim();
  if (name === '') return type === 'savings' ? 'Savings' : 'Checking';
  if (name.length > MAX_ACCOUNT_NAME) {
    throw new ValidationError(`account name must be at most ${MAX_ACCOUNT_NAME} characters`);
  }
  // Names are listed to other customers when they pick an account to pay into.
  assertPlainText('account name', name);
  return name;
}

export function openAccount(bank: Bank, user: User, typeInput: string, nameInput?: string): AccountWithOwner {
  const type = parseAccountType(typeInput);
  const name = parseAccountName(nameInput, type);
  return bank.store.writeTransaction(() => {
    requireActiveUser(bank, user);
    for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt += 1) {
      const number = generateAccountNumber(bank.randomDigit);
      if (bank.store.accounts.byNumber(number)) continue;
      const account = bank.store.accounts.insert({
        number,
        systemCode: null,
        ownerId: user.id,
        kind: type,
        name,
        createdAt: bank.now(),
      });
      return { ...account, owner: user.username, ownerActive: true };
    }
    throw new ConflictError('could not find a free account number; try again', 'NUMBER_EXHAUSTED');
  });
}

export function listAccounts(bank: Bank, user: User): AccountWithOwner[] {
  return bank.store.accounts.listByOwner(user.id);
}

/**
 * Accounts a user may send money to, for picking from a list: the active
 * accounts of `username`. Balances are not the sender's business.
 */
export function payeeAccounts(bank: Bank, usernameInput: string): AccountWithOwner[] {
  const username = usernameInput.trim().toLowerCase();
  const owner = bank.store.users.byUsername(username);
  const accounts = owner?.active ? bank.store.accounts.listByOwner(owner.id) : [];
  if (accounts.length === 0) {
    throw new NotFoundError(`${username} has no account that can receive money`, 'NO_PAYEE');
  }
  return accounts;
}
