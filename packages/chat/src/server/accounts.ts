import type { PasswordHasher } from '@quartet/core/password';
import { passwordFor } from '@quartet/core/validation';
import type { AccountRecord, AccountStore } from '../db/account-store.js';
import { foldCase, isValidNick } from '../protocol/casemap.js';
import { isServiceNick } from './services-nick.js';

/** Registrations one address may attempt per window: enough for a household, too few to fill the table. */
export const REGISTRATIONS_PER_IP = 3;
export const REGISTRATION_WINDOW_MS = 10 * 60_000;
/** Addresses remembered at most, oldest forgotten first, so a flood of addresses cannot grow memory. */
const MAX_TRACKED_ADDRESSES = 10_000;

/** Why a registration was refused, as the `FAIL REGISTER` codes of IRCv3 account-registration name them. */
export type RegisterFailure =
  'BAD_ACCOUNT_NAME' | 'INVALID_EMAIL' | 'WEAK_PASSWORD' | 'ACCOUNT_EXISTS' | 'TEMPORARILY_UNAVAILABLE';

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
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly store: AccountStore,
    private readonly hasher: PasswordHasher,
    private readonly now: () => number,
    readonly options: AccountOptions,
  ) {}

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
    if (!this.takeAttempt(ip)) return { ok: false, failure: 'TEMPORARILY_UNAVAILABLE' };
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

  /** The account for the right name and password; undefined otherwise, after as long as a real check takes. */
  async authenticate(name: string, password: string): Promise<AccountRecord | undefined> {
    const account = this.find(name);
    if (account === undefined) {
      await this.hasher.verifyDummy(password);
      return undefined;
    }
    return (await this.hasher.verify(password, account.passwordHash)) ? account : undefined;
  }

  /** Counted before bcrypt runs, so that parallel connections from one address cannot all get through. */
  private takeAttempt(ip: string): boolean {
    const at = this.now();
    const recent = (this.attempts.get(ip) ?? []).filter((t) => t > at - REGISTRATION_WINDOW_MS);
    if (recent.length >= REGISTRATIONS_PER_IP) return false;
    recent.push(at);
    this.attempts.delete(ip);
    this.attempts.set(ip, recent);
    if (this.attempts.size > MAX_TRACKED_ADDRESSES) this.attempts.delete(this.attempts.keys().next().value!);
    return true;
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
