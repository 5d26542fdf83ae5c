import type { Command } from 'commander';
import { str, type Run } from './program-options.js';

/**
 * The commander subtrees of two-factor login, loans, limits and fees, and
 * interest. Like program.ts, actions only compute, and each imports its
 * command module when it runs.
 */
export function addUserFeatureCommands(program: Command, run: Run): void {
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
}

/** Notifications and alerts: a user's own; no administrator's command lists them. */
export function addNotificationCommands(program: Command, run: Run): void {
  const commands = () => import('./commands/notifications.js');
  const notifications = program.command('notifications').description('what the bank told you, newest first');
  notifications
    .command('list', { isDefault: true })
    .description('your notifications, newest first')
    .option('--unread', 'only the unread ones')
    .action(run(async (o, _args, own) => (await commands()).notificationsListCommand(o, own['unread'] === true)));
  notifications
    .command('read [ids...]')
    .description('mark notifications read, by id or --all')
    .option('--all', 'every unread notification')
    .action(
      run(async (o, args, own) => (await commands()).notificationsReadCommand(o, args.flat(), own['all'] === true)),
    );
  const alerts = program.command('alerts').description('when to notify you: large payments out, a low balance');
  alerts
    .command('show', { isDefault: true })
    .description('your alert thresholds')
    .action(run(async (o) => (await commands()).alertsShowCommand(o)));
  alerts
    .command('set')
    .description('set thresholds: --large AMOUNT, --low AMOUNT ("off" turns one off)')
    .option('--large <amount>', 'notify a withdrawal or transfer out above this')
    .option('--low <amount>', 'notify a balance falling below this')
    .action(
      run(async (o, _args, own) =>
        (await commands()).alertsSetCommand(o, { large: str(own['large']), low: str(own['low']) }),
      ),
    );

  const profileCommands = () => import('./commands/profile.js');
  const profile = program.command('profile').description('your profile: the e-mail address notifications go to');
  profile
    .command('show', { isDefault: true })
    .description('your user name and e-mail address, and whether it is verified')
    .action(run(async (o) => (await profileCommands()).profileShowCommand(o)));
  profile
    .command('email [address]')
    .description('set your e-mail address (a code is sent to it), --verify CODE, or --remove')
    .option('--verify <code>', 'the code from the verification e-mail')
    .option('--remove', 'remove your address: no more notification e-mails')
    .action(
      run(async (o, [address], own) =>
        (await profileCommands()).profileEmailCommand(o, {
          address,
          verify: str(own['verify']),
          remove: own['remove'] === true,
        }),
      ),
    );
}

export function addAdminFeatureCommands(admin: Command, run: Run): void {
  const twoFactor = () => import('./commands/two-factor.js');
  const loanCommands = () => import('./commands/loans.js');
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
}
