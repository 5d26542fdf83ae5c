import { ValidationError } from '@quartet/core/errors';
import { openBank } from '../app.js';
import { parseDatabaseUrl, resolveConfig } from '../config.js';
import { copySqliteToPg, databaseName, type CopiedTable } from '../db/copy-to-pg.js';
import { verifyLedger } from '../domain/admin.js';
import { requireAdmin, type Bank } from '../domain/bank.js';
import { formatMoney } from '../domain/currency.js';
import { accountLabel } from '../domain/verify.js';
import { EXIT } from '../exit-codes.js';
import { renderTable } from '../render.js';
import { withUser, type CommandResult, type GlobalOptions } from './context.js';

/**
 * `bank admin migrate-to-postgres --database-url URL`: the SQLite bank (--db, BANK_DB) copied into an empty
 * PostgreSQL database in one transaction, then `verify` run on both and every balance and row count compared.
 * `options.databaseUrl` is bank's global one, which would make the source PostgreSQL: refused.
 */
export async function migrateToPostgresCommand(options: GlobalOptions, targetUrl: string): Promise<CommandResult> {
  const source = resolveConfig({ db: options.db, databaseUrl: options.databaseUrl, user: options.user });
  if (source.databaseUrl !== undefined) {
    throw new ValidationError(
      'migrate-to-postgres copies a SQLite bank: unset BANK_DATABASE_URL and bank --database-url (the target is the subcommand’s --database-url)',
      { code: 'SOURCE_NOT_SQLITE' },
    );
  }
  const url = parseDatabaseUrl(targetUrl, '--database-url');
  return withUser(options, (ctx, admin) => {
    requireAdmin(ctx.bank, admin);
    const tables = copySqliteToPg(ctx.config.dbFile, url);
    // Through the same store the bank will use from now on, not through the copy's own session.
    const target = openBank({ ...ctx.config, databaseUrl: url, smtpUrl: undefined });
    try {
      const report = compare(ctx.bank, target.bank, tables, {
        sqlite: verifyLedger(ctx.bank, admin),
        postgres: verifyLedger(target.bank, admin),
      });
      return {
        data: { target: databaseName(url), ...report },
        text: renderReport(databaseName(url), report),
        exitCode: report.ok ? EXIT.ok : EXIT.refused,
      };
    } finally {
      target.close();
    }
  });
}

interface Report {
  ok: boolean;
  tables: CopiedTable[];
  verify: { sqlite: string[]; postgres: string[] };
  /** How many accounts were compared, and one line per difference (balances and row counts). */
  accounts: number;
  differences: string[];
}

function compare(sqlite: Bank, postgres: Bank, tables: CopiedTable[], verify: Report['verify']): Report {
  const money = (minor: number) => `${formatMoney(minor, sqlite.store.currency)} ${sqlite.store.currency.code}`;
  const before = sqlite.store.ledger.balanceCheck().map(({ account }) => account);
  const after = new Map(postgres.store.ledger.balanceCheck().map(({ account }) => [account.id, account]));
  const differences: string[] = [];
  for (const account of before) {
    const copy = after.get(account.id);
    after.delete(account.id);
    const label = `account ${account.id} ${accountLabel(account)}`;
    if (!copy) differences.push(`${label} is missing in PostgreSQL`);
    else if (copy.balance !== account.balance) {
      differences.push(`${label}: ${money(account.balance)} in SQLite, ${money(copy.balance)} in PostgreSQL`);
    }
  }
  for (const extra of after.values())
    differences.push(`account ${extra.id} ${accountLabel(extra)} is only in PostgreSQL`);
  for (const { table, sqlite: rows, postgres: copied } of tables) {
    if (rows !== copied) differences.push(`table ${table}: ${rows} rows in SQLite, ${copied} in PostgreSQL`);
  }
  const ok = differences.length === 0 && verify.sqlite.length === 0 && verify.postgres.length === 0;
  return { ok, tables, verify, accounts: before.length, differences };
}

function renderReport(target: string, report: Report): string {
  const verifyLines = (side: string, problems: readonly string[]) =>
    problems.length === 0 ? [`verify (${side}): ledger OK`] : problems.map((p) => `verify (${side}): ${p}`);
  const balances =
    report.differences.length === 0
      ? [`balances: ${report.accounts} accounts identical`]
      : ['differences:', ...report.differences.map((line) => `  ${line}`)];
  return [
    `Copied the SQLite bank into ${target} in one transaction:`,
    renderTable(
      ['TABLE', 'ROWS'],
      report.tables.map(({ table, sqlite }) => [table, String(sqlite)]),
      [1],
    ),
    ...verifyLines('SQLite', report.verify.sqlite),
    ...verifyLines('PostgreSQL', report.verify.postgres),
    ...balances,
  ].join('\n');
}
