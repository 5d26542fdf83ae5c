import { Command } from 'commander';
import type { CommandResult, GlobalOptions } from './commands/context.js';

type Options = GlobalOptions & Record<string, string | boolean | undefined>;

/** What the command that ran handed back, for cli.ts to print. */
export interface Outcome {
  result?: CommandResult;
  json?: boolean;
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
      await runMenus(command.optsWithGlobals<GlobalOptions>());
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

  const twoFactor = () => import('./commands/two-factor.js');
  const tfa = program.command('2fa').description('two-factor login with an authenticator app (TOTP)');
  tfa
    .command('status', { isDefault: true })
    .description('on or off, and how many recovery codes are left')
    .action(run(async (o) => (await twoFactor()).twoFactorStatusCommand(o)));
  tfa
    .command('enable')
    .description('show a QR code and secret, confirm one code, get 10 recovery codes')
    .action(run(async (o) => (await twoFactor()).twoFactorEnableCommand(o)));
  tfa
    .command('disable')
    .description('turn it off (logging in takes a current code)')
    .action(run(async (o) => (await twoFactor()).twoFactorDisableCommand(o)));

  const loanCommands = () => import('./commands/loans.js');
  const loans = program.command('loans').description('your loans: apply, list, show the schedule, repay');
  loans
    .command('list', { isDefault: true })
    .description('your loans')
    .action(run(async (o) => (await loanCommands()).loansListCommand(o, false)));
  loans
    .command('apply <account> <amount>')
    .description('ask for a loan paid into your account; an administrator approves it')
    .requiredOption('--months <n>', 'repaid in this many monthly instalments (1-360)')
    .action(run(async (o, [a, m]) => (await loanCommands()).loansApplyCommand(o, a!, m!)));
  loans
    .command('show <id>')
    .description('a loan and its amortization schedule')
    .action(run(async (o, [id]) => (await loanCommands()).loansShowCommand(o, id!)));
  loans
    .command('repay <id> [amount]')
    .description('pay the next instalment, or the amount given, from the loan account')
    .action(run(async (o, [id, amount]) => (await loanCommands()).loansRepayCommand(o, id!, amount)));

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

  const pricing = () => import('./commands/pricing.js');
  const limits = admin.command('limits').description('daily withdrawal + outgoing transfer limits per account type');
  limits
    .command('list', { isDefault: true })
    .description('limits and fees per account type')
    .action(run(async (o) => (await pricing()).pricingCommand(o)));
  limits
    .command('set <type> <amount>')
    .description('set the daily limit for savings or checking accounts ("none" removes it)')
    .action(run(async (o, [t, a]) => (await pricing()).limitsSetCommand(o, t!, a!)));
  const fees = admin.command('fees').description('transfer fees per account type of the sending account');
  fees
    .command('list', { isDefault: true })
    .description('limits and fees per account type')
    .action(run(async (o) => (await pricing()).pricingCommand(o)));
  fees
    .command('set <type> [none]')
    .description('--fixed AMOUNT, or --percent RATE [--min AMOUNT] [--max AMOUNT]; "none" removes the fee')
    .option('--fixed <amount>', 'the same fee for every transfer')
    .option('--percent <rate>', 'a percentage of the amount, such as 1.5')
    .option('--min <amount>', 'percentage fees: at least this')
    .option('--max <amount>', 'percentage fees: at most this')
    .action(
      run(async (o, [t, none], own) => {
        const input = {
          fixed: str(own['fixed']),
          percent: str(own['percent']),
          min: str(own['min']),
          max: str(own['max']),
        };
        return (await pricing()).feesSetCommand(o, t!, none ?? input);
      }),
    );

  const interest = () => import('./commands/interest.js');
  const rates = admin.command('rates').description('annual interest rates per account type, with their history');
  rates
    .command('list', { isDefault: true })
    .description('every rate with the day it starts')
    .action(run(async (o) => (await interest()).ratesListCommand(o)));
  rates
    .command('set <type> <percent>')
    .description('a new annual rate for savings or checking, such as 2.5')
    .option('--from <YYYY-MM-DD>', 'the first day (UTC) it applies (default today)')
    .action(run(async (o, [t, r]) => (await interest()).ratesSetCommand(o, t!, r!)));
  admin
    .command('accrue-interest')
    .description("post a finished month's interest on every account whose type has a rate (once per month)")
    .requiredOption('--month <YYYY-MM>', 'the month (UTC)')
    .action(run(async (o) => (await interest()).accrueCommand(o)));

  admin
    .command('reset-2fa <username>')
    .description("turn off a user's two-factor login (a lost device); logged")
    .action(run(async (o, [u]) => (await twoFactor()).adminReset2faCommand(o, u!)));
  const adminLoans = admin.command('loans').description('loan applications and loans');
  adminLoans
    .command('list', { isDefault: true })
    .description('every loan (applications first come as pending)')
    .option('--status <status>', 'pending, rejected, active or closed')
    .action(
      run(async (o, _args, own) => (await loanCommands()).loansListCommand({ ...o, status: str(own['status']) }, true)),
    );
  adminLoans
    .command('approve <id>')
    .description('approve a pending loan at an annual rate; pays it out')
    .requiredOption('--rate <percent>', 'annual interest rate, such as 7.5')
    .action(run(async (o, [id]) => (await loanCommands()).loansDecideCommand(o, id!, 'approve')));
  adminLoans
    .command('reject <id>')
    .description('reject a pending loan')
    .action(run(async (o, [id]) => (await loanCommands()).loansDecideCommand(o, id!, 'reject')));

  for (const sub of [
    program,
    ...loans.commands,
    ...adminLoans.commands,
    ...tfa.commands,
    ...rates.commands,
    ...program.commands,
    ...accounts.commands,
    ...admin.commands,
    ...limits.commands,
    ...fees.commands,
  ]) {
    sub.exitOverride();
    if (sub.commands.length === 0 && sub !== program) addCommonOptions(sub);
  }
  return program;

  /** Adapts a handler to commander: merged options and positional args in, the result into `outcome`. */
  function run(handler: (o: Options, args: string[], own: Options, root: GlobalOptions) => Promise<CommandResult>) {
    return async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const options = command.optsWithGlobals<Options>();
      let root = command;
      while (root.parent) root = root.parent;
      outcome.json = options.json === true;
      outcome.result = await handler(options, command.processedArgs as string[], command.opts<Options>(), root.opts());
    };
  }
}

/** So that `bank deposit ... --user alice --json` works as well as `bank --user alice --json deposit ...`. */
function addCommonOptions(command: Command): void {
  const has = (flag: string) => command.options.some((o) => o.long === flag);
  command.option('--db <path>', 'database file').option('--json', 'print JSON instead of text');
  command.option('--password-stdin', 'read the password from stdin').option('--debug', 'print stack traces');
  if (!has('--user')) command.option('-u, --user <name>', 'act as this user');
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
