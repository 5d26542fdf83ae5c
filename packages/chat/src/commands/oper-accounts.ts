import { NotFoundError } from '@quartet/core/errors';
import type { AccountStore } from '../db/account-store.js';
import { foldCase } from '../protocol/casemap.js';

/**
 * `chat-server oper add|remove <account>`: mark an account as an IRC operator, or no longer. Its user becomes an
 * operator at their next login (SASL or IDENTIFY), beside those of the --oper-file. Returns the line to print.
 */
export function setAccountOper(accounts: AccountStore, name: string, oper: boolean): string {
  const account = accounts.find(foldCase(name));
  if (account === undefined || !accounts.setOper(account.nameKey, oper)) {
    throw new NotFoundError(`account "${name}" does not exist`);
  }
  return oper ? `${account.name} is now an operator` : `${account.name} is no longer an operator`;
}

/** `chat-server oper list`: the operator accounts, one name a line. */
export function listOperAccounts(accounts: AccountStore): string[] {
  return accounts
    .list()
    .filter((account) => account.oper)
    .map((account) => account.name);
}
