import type { PasswordHasher } from '@quartet/core/password';
import { passwordFor } from '@quartet/core/validation';
import type { AccountRecord, AccountStore } from '../db/account-store.js';
import { foldCase, isValidNick } from '../protocol/casemap.js';
import { AttemptWindow } from '../timing/attempt-window.js';
import { isServiceNick } from './services-nick.js';

/** Registrations one address may attempt per window: enough for a household, too few to fill the table. */
export const REGISTRATIONS_PER_IP = 3;
export const REGISTRATION_WINDOW_MS = 10 * 60_000;
/**
 * Failed logins (SASL, IDENTIFY) allowed per client address and per account before further attempts are refused
 * unchecked (ASVS 2.2.1; NIST 800-63B 5.2.2 asks for at most 100 per account). Reconnecting does not reset them.
 */
export const LOGIN_FAILURES_PER_ADDRESS = 10;
export const LOGIN_FAILURES_PER_ACCOUNT = 30;
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000;

/** Why a registration was refused, as the `FAIL REGISTER` codes of IRCv3 account-registration name them. */
export type RegisterFailure =
  'BAD_ACCOUNT_NAME' | 'INVALID_EMAIL' | 'WEAK_PASSWORD' | 'ACCOUNT_EXISTS' | 'TEMPORARILY_UNAVAILABLE';

/** A login: the account, or why not (`throttled`: too many failures lately from the address or for the account). */
export type LoginResult =
  { readonly ok: true; readonly account: AccountRecord } | { readonly ok: false; readonly throttled: boolean };

export type RegisterResult =
  | { readonly ok: true; readonly account: AccountRecord }
  /** `problem`: what is wrong with a WEAK_PASSWORD, in the words of quartet's password policy. */
  | { readonly ok: false; readonly failure: RegisterFailure; readonly problem?: string };

export interface AccountOptions {
  /** `--require-account-for-nick`: an account's nick is refused to everyone else (433). */
  readonly requireForNick: boolean;
  /** How long someone on an owned nick has to identify before being renamed (30 s; tests shorten it). */
  readonly nickGraceMs: number;
}

/** Accounts: registration with its rules and rate limit, and password checks. Hashing runs on bcrypt's thread pool. */
export class Accounts {
  private readonly registrations: AttemptWindow;
  private readonly addressFailures: AttemptWindow;
  private readonly accountFailures: AttemptWindow;

  constructor(
    private readonly store: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number,
    readonly options: AccountOptions,
  ) {
    this.registrations = new AttemptWindow(REGISTRATIONS_PER_IP, REGISTRATION_WINDOW_MS, now);
    this.addressFailures = new AttemptWindow(LOGIN_FAILURES_PER_ADDRESS, LOGIN_FAILURE_WINDOW_MS, now);
    this.accountFailures = new AttemptWindow(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURE_WINDOW_MS, now);
  }

  find(name: string): AccountRecord | undefined {
    return this.store.find(foldCase(name));
  }

  /** The account that owns this nick (an account owns the nick equal to its name). */
  ownerOf(nick: string): AccountRecord | undefined {
    return this.find(nick);
  }

  async register(name: string, email: string | undefined, password: string, ip: string): Promise<RegisterResult> {
    if (!isValidNick(name) || isServiceNick(name)) return { ok: false, failure: 'BAD_ACCOUNT_NAME' };
    if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      return { ok: false, failure: 'INVALID_EMAIL' };
    const problem = passwordProblem(name, password);
    if (problem !== undefined) return { ok: false, failure: 'WEAK_PASSWORD', problem };
    // A taken name costs no bcrypt work; the unique index still decides a race below.
    if (this.find(name) !== undefined) return { ok: false, failure: 'ACCOUNT_EXISTS' };
    if (this.registrations.take(ip) === undefined) return { ok: false, failure: 'TEMPORARILY_UNAVAILABLE' };
    const passwordHash = await this.hasher.hash(password);
    const account: AccountRecord = {
      name,
      nameKey: foldCase(name),
      passwordHash,
      email: email ?? null,
      verifyCode: null,
      oper: false,
      createdAt: this.now(),
    };
    return this.store.create(account) ? { ok: true, account } : { ok: false, failure: 'ACCOUNT_EXISTS' };
  }

  /**
   * A login from `ip`: the account for the right name and password. A wrong one, or an unknown account, fails after
   * as long as a real check takes. Each attempt counts as a failure of the address and of the account before bcrypt
   * runs (taken back on success); past either limit, attempts are refused unchecked, the right password too.
   */
  async authenticate(name: string, password: string, ip: string): Promise<LoginResult> {
    const key = foldCase(name);
    const byAddress = this.addressFailures.take(ip);
    const byAccount = byAddress === undefined ? undefined : this.accountFailures.take(key);
    if (byAddress === undefined || byAccount === undefined) {
      if (byAddress !== undefined) this.addressFailures.forgive(ip, byAddress);
      return { ok: false, throttled: true };
    }
    const account = this.store.find(key);
    const ok =
      account === undefined
        ? await this.hasher.verifyDummy(password)
        : await this.hasher.verify(password, account.passwordHash);
    if (!ok || account === undefined) return { ok: false, throttled: false };
    this.addressFailures.forgive(ip, byAddress);
    this.accountFailures.forgive(key, byAccount);
    return { ok: true, account };
  }
}

/**
 * The password rules of every quartet login (@quartet/core, NIST 800-63B): 12 characters to 72 bytes (bcrypt reads
 * no more, so longer ones are refused, not cut), not on the breached-password list, not one repeated character or a
 * simple sequence, and not containing the account name.
 */
function passwordProblem(name: string, password: string): string | undefined {
  const checked = passwordFor(name).safeParse(password);
  return checked.success ? undefined : checked.error.issues[0]?.message;
}
