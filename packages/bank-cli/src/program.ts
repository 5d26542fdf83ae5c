import { Command } from 'commander';
import type { CommandResult, GlobalOptions } from './commands/context.js';
import { addAdminFeatureCommands, addNotificationCommands, addUserFeatureCommands } from './program-features.js';
import { str, type Options } from './program-options.js';

/** What the command that ran handed back, for cli.ts to print. */
export interface Outcome {
  result?: CommandResult;
  json?: boolean;
  /** Lines for stderr before the result or the error (a database file made private). */
  warnings: string[];
}

/**
 * The commander tree. Actions only compute: each leaves its result in
 * `outcome`, and cli.ts prints it, so printing and exit codes stay in one file.
 */
export function buildProgram(outcome: Outcome, version: string): Command {
  const program = new Command('bank')
    .description('Banking in the terminal: run without arguments for the menus, or use a subcommand.')
    .version(version, '-V, --version')
    .option('--db <path>', 'database file (default: $BANK_DB, then <data dir>/bank.db)')
    .option('--database-url <url>', 'a PostgreSQL database instead of the file (default: $BANK_DATABASE_URL)')
    .option('-u, --user <name>', 'act as this user (default: $BANK_USER)')
    .option('--password-stdin', 'read the password from the first line of stdin (passwd: new one on the second)')
    .option('--json', 'print JSON instead of text')
    .option('--debug', 'print stack traces with errors')
    // Options before a subcommand belong to `bank`; after it, to the subcommand.
    // That lets `admin audit --user NAME` filter while `bank --user ADMIN` logs in.
    .enablePositionalOptions()
    .exitOverride()
    .showSuggestionAfterError()
    // The menus take no arguments; anything else left over is a mistyped subcommand.
    .allowExcessArguments()
    .action(async (_options, command: Command) => {
      if (command.args.length > 0) {
        command.error(`error: unknown command '${command.args[0]}' (see bank --help)`, {
          code: 'commander.unknownCommand',
        });
      }
      const { runMenus } = await import('./interactive/menus.js');
      await runMenus({ ...command.optsWithGlobals<GlobalOptions>(), warnings: outcome.warnings });
    });

  program
    .command('register <username>')
    .description('create a user; the password comes from $BANK_PASSWORD, --password-stdin or a prompt')
    .action(run(async (o, [username]) => (await import('./commands/register.js')).registerCommand(o, username!)));

  const accounts = program.command('accounts').description('your accounts');
  accounts
    .command('list', { isDefault: true })
    .description('list your accounts with balances')
    .action(run(async (o) => (await import('./commands/accounts.js')).accountsListCommand(o)));
  accounts
    .command('open <type>')
    .description('open a savings or checking account')
    .option('--name <text>', 'a name for the account')
    .action(
      run(async (o, [type]) => (await import('./commands/accounts.js')).accountsOpenCommand(o, type!, str(o['name']))),
    );

  program
    .command('deposit <account> <amount>')
    .description('pay cash into one of your accounts')
    .option('--note <text>', 'a note for the history')
    .action(run(async (o, [a, m]) => (await import('./commands/payments.js')).depositCommand(o, a!, m!)));
  program
    .command('withdraw <account> <amount>')
    .description('take cash out of one of your accounts')
    .option('--note <text>', 'a note for the history')
    .action(run(async (o, [a, m]) => (await import('./commands/payments.js')).withdrawCommand(o, a!, m!)));
  program
    .command('transfer <from> <to> <amount>')
    .description('move money from your account to any active account')
    .option('--note <text>', 'a note for both histories')
    .action(run(async (o, [f, t, m]) => (await import('./commands/payments.js')).transferCommand(o, f!, t!, m!)));
  program
    .command('history <account>')
    .description('an account’s transactions, newest first')
    .option('--limit <n>', 'at most this many entries (default 50)')
    .option('--since <YYYY-MM-DD>', 'from this day (UTC), inclusive')
    .option('--until <YYYY-MM-DD>', 'up to this day (UTC), inclusive')
    .action(run(async (o, [a]) => (await import('./commands/history.js')).historyCommand(o, a!)));
  program
    .command('statement <account>')
    .description('a month of an account: opening balance, entries with running balance, totals, closing')
    .requiredOption('--month <YYYY-MM>', 'the calendar month (UTC)')
    .option('--format <format>', 'text, csv or json (default text; --json means json)')
    .option('-o, --output <file>', 'write to this file (atomically) instead of printing')
    .action(run(async (o, [a]) => (await import('./commands/statement.js')).statementCommand(o, a!)));
  program
    .command('passwd')
    .description('change your password (new one: $BANK_NEW_PASSWORD, line 2 of --password-stdin, or a prompt)')
    .action(run(async (o) => (await import('./commands/passwd.js')).passwdCommand(o)));

  addUserFeatureCommands(program, run);
  addNotificationCommands(program, run);

  const admin = program.command('admin').description('administration (needs an administrator)');
  const adminCommands = () => import('./commands/admin.js');
  admin
    .command('init <username>')
    .description('create the first administrator (only while there is none)')
    .action(run(async (o, [u]) => (await adminCommands()).adminInitCommand(o, u!)));
  admin
    .command('users')
    .description('list users')
    .action(run(async (o) => (await adminCommands()).adminUsersCommand(o)));
  admin
    .command('activate <username>')
    .description('let a user log in again')
    .action(run(async (o, [u]) => (await adminCommands()).adminSetActiveCommand(o, u!, true)));
  admin
    .command('deactivate <username>')
    .description('stop a user logging in or receiving transfers')
    .action(run(async (o, [u]) => (await adminCommands()).adminSetActiveCommand(o, u!, false)));
  admin
    .command('role <username> <role>')
    .description('make a user a user or an admin')
    .action(run(async (o, [u, r]) => (await adminCommands()).adminRoleCommand(o, u!, r!)));
  admin
    .command('accounts')
    .description('every customer account')
    .action(run(async (o) => (await adminCommands()).adminAccountsCommand(o)));
  admin
    .command('audit')
    .description('every transaction, newest first')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--user <name>', 'only transactions by or touching this user (log in with BANK_USER or bank --user)')
    .option('--account <number>', 'only transactions touching this account')
    .action(
      run(async (o, _args, own, root) =>
        (await adminCommands()).adminAuditCommand(
          { ...o, user: root.user },
          { limit: str(own['limit']), user: str(own['user']), account: str(own['account']) },
        ),
      ),
    );
  admin
    .command('log')
    .description('administrator actions, newest first')
    .option('--limit <n>', 'at most this many (default 50)')
    .action(run(async (o) => (await adminCommands()).adminLogCommand(o)));
  admin
    .command('verify')
    .description('recompute every balance and check the ledger; prints "ledger OK"')
    .action(run(async (o) => (await adminCommands()).adminVerifyCommand(o)));
  admin
    .command('migrate-to-postgres')
    .description('copy this SQLite bank into an empty PostgreSQL database, then verify both and compare balances')
    .requiredOption('--database-url <url>', 'the empty PostgreSQL database to copy into')
    .action(
      run(async (o, _args, own, root) =>
        (await import('./commands/migrate-to-postgres.js')).migrateToPostgresCommand(
          // The subcommand's --database-url is the target; bank's own (the source) must stay unset.
          { ...o, databaseUrl: root.databaseUrl },
          str(own['databaseUrl'])!,
        ),
      ),
    );

  addAdminFeatureCommands(admin, run);

  for (const sub of allCommands(program)) {
    sub.exitOverride();
    if (sub.commands.length === 0 && sub !== program) addCommonOptions(sub);
  }
  return program;

  /** Adapts a handler to commander: merged options and positional args in, the result into `outcome`. */
  function run(handler: (o: Options, args: string[], own: Options, root: GlobalOptions) => Promise<CommandResult>) {
    return async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const options: Options = { ...command.optsWithGlobals<Options>(), warnings: outcome.warnings };
      let root = command;
      while (root.parent) root = root.parent;
      outcome.json = options.json === true;
      outcome.result = await handler(options, command.processedArgs as string[], command.opts<Options>(), root.opts());
    };
  }
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** So that `bank deposit ... --user alice --json` works as well as `bank --user alice --json deposit ...`. */
function addCommonOptions(command: Command): void {
  const has = (flag: string) => command.options.some((o) => o.long === flag);
  command.option('--db <path>', 'database file').option('--json', 'print JSON instead of text');
  command.option('--password-stdin', 'read the password from stdin').option('--debug', 'print stack traces');
  if (!has('--user')) command.option('-u, --user <name>', 'act as this user');
}
