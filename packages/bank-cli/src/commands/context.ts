import { ValidationError } from '@quartet/core/errors';
import { openBank } from '../app.js';
import { resolveConfig, type BankConfig } from '../config.js';
import { login } from '../domain/login.js';
import { drainAndClose } from './close-bank.js';
import type { Bank } from '../domain/bank.js';
import type { User } from '../domain/types.js';

/** The options every subcommand sees (commander's optsWithGlobals). */
export interface GlobalOptions {
  db?: string | undefined;
  databaseUrl?: string | undefined;
  user?: string | undefined;
  passwordStdin?: boolean | undefined;
  json?: boolean | undefined;
  debug?: boolean | undefined;
  /** Where opening the bank leaves its warnings, for the entry point to print (set by program.ts, not a flag). */
  warnings?: string[] | undefined;
}

/** What a command hands back to cli.ts: the data for --json, and the text otherwise. */
export interface CommandResult {
  data: unknown;
  text: string;
  /** Non-zero for an answer that is a failure but not an error (verify finding discrepancies). */
  exitCode?: number;
}

export interface Context {
  bank: Bank;
  config: BankConfig;
  options: GlobalOptions;
  secrets: SecretSource;
}

/**
 * Opens the bank for one command and always closes it. With e-mail configured, the outbox is drained after the
 * command's work has committed (whether the command succeeded or not: a refused login may have queued a notice).
 */
export async function withBank<T>(options: GlobalOptions, fn: (ctx: Context) => Promise<T> | T): Promise<T> {
  const config = resolveConfig({ db: options.db, databaseUrl: options.databaseUrl, user: options.user });
  const { bank, close, warnings } = openBank(config);
  options.warnings?.push(...warnings);
  try {
    return await fn({ bank, config, options, secrets: new SecretSource(config, options) });
  } finally {
    await drainAndClose(bank, config, options.warnings, close);
  }
}

/** Opens the bank and logs in, for the commands that act as a user. */
export function withUser<T>(options: GlobalOptions, fn: (ctx: Context, user: User) => Promise<T> | T): Promise<T> {
  return withBank(options, async (ctx) => fn(ctx, await authenticate(ctx)));
}

/** --user/BANK_USER plus a password; fails with exit 3 like any wrong password. */
export async function authenticate(ctx: Context): Promise<User> {
  const username = ctx.config.user;
  if (!username) throw new ValidationError('who are you? pass --user NAME or set BANK_USER', { code: 'NO_USER' });
  const password = await ctx.secrets.password(`Password for ${username}:`);
  return login(ctx.bank, username, password, () => ctx.secrets.totp(`Two-factor code for ${username}:`));
}

/**
 * Passwords come from BANK_PASSWORD, from stdin (--password-stdin: first line
 * the password, second line a new one for `passwd`), or from a hidden prompt
 * when stdin is a terminal. Never from a flag: flags show up in `ps`.
 */
export class SecretSource {
  private lines: Promise<string[]> | undefined;
  private current: Promise<string> | undefined;

  constructor(
    private readonly config: BankConfig,
    private readonly options: GlobalOptions,
  ) {}

  /** Asked at most once per command, however many steps need it. */
  password(prompt: string): Promise<string> {
    this.current ??= this.secret(0, this.config.password, prompt, false);
    return this.current;
  }

  /** A two-factor code: BANK_TOTP, or a prompt when stdin is a terminal. Asked before the password is judged. */
  async totp(prompt: string): Promise<string> {
    if (this.config.totp !== undefined) return this.config.totp;
    if (!process.stdin.isTTY) {
      throw new ValidationError('two-factor login is on: set BANK_TOTP to a current code, or run in a terminal', {
        code: 'NO_TOTP',
      });
    }
    const { askLine } = await import('./hidden-prompt.js');
    return askLine(prompt);
  }

  /** A password being set: from a prompt it is asked twice. */
  newPassword(prompt: string, lineIndex: 0 | 1, fromEnv: string | undefined): Promise<string> {
    return this.secret(lineIndex, fromEnv, prompt, true);
  }

  private async secret(line: number, fromEnv: string | undefined, prompt: string, confirm: boolean): Promise<string> {
    if (this.options.passwordStdin) {
      this.lines ??= readStdinLines();
      const value = (await this.lines)[line];
      if (value === undefined) throw new ValidationError(`--password-stdin: line ${line + 1} of stdin is missing`);
      return value;
    }
    if (fromEnv !== undefined) return fromEnv;
    if (!process.stdin.isTTY) {
      throw new ValidationError('no password: set BANK_PASSWORD, pass --password-stdin, or run in a terminal', {
        code: 'NO_PASSWORD',
      });
    }
    const { askHidden } = await import('./hidden-prompt.js');
    return askHidden(prompt, confirm);
  }
}

async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
}
