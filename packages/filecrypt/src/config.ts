import { readFileSync } from 'node:fs';
import {
  DEFAULT_KDF_LIMITS,
  DEFAULT_PBKDF2_ITERATIONS,
  DEFAULT_SCRYPT,
  MAX_ENC_SCRYPT_LOGN,
  NO_KDF_LIMITS,
  type KdfLimits,
} from './format/constants.js';
import type { KdfChoice } from './crypto/passphrase.js';
import { usage } from './errors.js';

/**
 * The only file that reads process.env, and where flags become settings.
 * Validated by hand rather than with zod: zod adds about 13 MiB of resident
 * memory to every run, a fifth of the 64 MiB budget, for a dozen flags.
 */
export interface Config {
  /** FILECRYPT_PASSPHRASE's bytes, used when no --passphrase-file or --passphrase-fd is given. */
  passphrase: Buffer | undefined;
}

const PASSPHRASE_VARIABLE = 'FILECRYPT_PASSPHRASE';

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const text = env[PASSPHRASE_VARIABLE];
  if (text === undefined) return { passphrase: undefined };
  return {
    passphrase: (env === process.env ? environmentBytes(PASSPHRASE_VARIABLE, text) : undefined) ?? Buffer.from(text),
  };
}

/**
 * process.env decodes the environment as UTF-8, so a byte that is not UTF-8
 * (Latin-1 "é") comes back as U+FFFD and any two such passphrases would give
 * the same key. Linux keeps the bytes the process started with in
 * /proc/self/environ; they are used when they are what process.env shows
 * (the variable was not changed since). Elsewhere, the UTF-8 text is used.
 */
function environmentBytes(name: string, text: string): Buffer | undefined {
  let environ: Buffer;
  try {
    environ = readFileSync('/proc/self/environ');
  } catch {
    return undefined;
  }
  const prefix = Buffer.from(`${name}=`);
  for (let start = 0; start < environ.length;) {
    const end = environ.indexOf(0, start) === -1 ? environ.length : environ.indexOf(0, start);
    const entry = environ.subarray(start, end);
    if (entry.subarray(0, prefix.length).equals(prefix)) {
      const value = Buffer.from(entry.subarray(prefix.length));
      return value.toString('utf8') === text ? value : undefined;
    }
    start = end + 1;
  }
  return undefined;
}

export interface PassphraseSettings {
  passphraseFile?: string;
  passphraseFd?: number;
}

export interface EncSettings extends PassphraseSettings {
  output?: string;
  force: boolean;
  format: 'native' | 'openssl';
  kdf: KdfChoice;
  /** PBKDF2 iterations for --format openssl. */
  opensslIterations: number;
  recipient: string[];
  recipientsFile: string[];
  quiet: boolean;
}

export interface DecSettings extends PassphraseSettings {
  output?: string;
  /** openssl only when asked for: that format is unauthenticated, so it is never picked from the header. */
  format: 'native' | 'openssl';
  force: boolean;
  key: string[];
  opensslIterations: number;
  restoreName: boolean;
  /** Keep setuid, setgid and sticky bits from the file; they are dropped by default. */
  preservePermissions: boolean;
  quiet: boolean;
  /** What a header may ask of the KDF; --allow-expensive-kdf lifts the caps. */
  kdfLimits: KdfLimits;
}

export interface InspectSettings extends PassphraseSettings {
  key: string[];
  kdfLimits: KdfLimits;
}

/** Flags as commander hands them over (strings, booleans, string lists), unchecked. */
export type Flags = Readonly<Record<string, unknown>>;

export function encSettings(flags: Flags): EncSettings {
  const format = oneOf(flags, 'format', ['native', 'openssl'] as const) ?? 'native';
  const kdf = oneOf(flags, 'kdf', ['pbkdf2', 'scrypt'] as const) ?? 'pbkdf2';
  const iter = count(flags, 'iter');
  const settings: EncSettings = {
    ...common(flags),
    ...passphraseSettings(flags),
    format,
    kdf: kdfChoice(kdf, iter),
    opensslIterations:
      format === 'openssl' ? checkIterations(iter ?? DEFAULT_PBKDF2_ITERATIONS) : DEFAULT_PBKDF2_ITERATIONS,
    recipient: list(flags, 'recipient'),
    recipientsFile: list(flags, 'recipientsFile'),
  };
  const recipients = settings.recipient.length + settings.recipientsFile.length > 0;
  if (recipients && (settings.passphraseFile !== undefined || settings.passphraseFd !== undefined)) {
    throw usage('use either recipients (-r, -R) or a passphrase, not both');
  }
  if (format === 'openssl' && recipients) throw usage('--format openssl has no recipients; it uses a passphrase');
  if (format === 'openssl' && kdf === 'scrypt') throw usage('--format openssl always uses PBKDF2');
  return settings;
}

export function decSettings(flags: Flags): DecSettings {
  return {
    ...common(flags),
    ...passphraseSettings(flags),
    format: oneOf(flags, 'format', ['native', 'openssl'] as const) ?? 'native',
    key: list(flags, 'key'),
    opensslIterations: checkIterations(count(flags, 'iter') ?? DEFAULT_PBKDF2_ITERATIONS),
    restoreName: bool(flags, 'restoreName'),
    preservePermissions: bool(flags, 'preservePermissions'),
    kdfLimits: kdfLimits(flags),
  };
}

export function inspectSettings(flags: Flags): InspectSettings {
  return { ...passphraseSettings(flags), key: list(flags, 'key'), kdfLimits: kdfLimits(flags) };
}

function kdfLimits(flags: Flags): KdfLimits {
  return bool(flags, 'allowExpensiveKdf') ? NO_KDF_LIMITS : DEFAULT_KDF_LIMITS;
}

function common(flags: Flags) {
  const output = text(flags, 'output');
  return { ...(output === undefined ? {} : { output }), force: bool(flags, 'force'), quiet: bool(flags, 'quiet') };
}

function passphraseSettings(flags: Flags): PassphraseSettings {
  const passphraseFile = text(flags, 'passphraseFile');
  const passphraseFd = count(flags, 'passphraseFd');
  if (passphraseFile !== undefined && passphraseFd !== undefined) {
    throw usage('use either --passphrase-file or --passphrase-fd, not both');
  }
  return {
    ...(passphraseFile === undefined ? {} : { passphraseFile }),
    ...(passphraseFd === undefined ? {} : { passphraseFd }),
  };
}

function checkIterations(iterations: number): number {
  if (iterations < 1000 || iterations > DEFAULT_KDF_LIMITS.maxPbkdf2Iterations) {
    throw usage(`--iter must be from 1000 to ${DEFAULT_KDF_LIMITS.maxPbkdf2Iterations} for PBKDF2`);
  }
  return iterations;
}

/** With --kdf scrypt, --iter is scrypt's N: a power of two from 2^10 to 2^20. */
function kdfChoice(kdf: 'pbkdf2' | 'scrypt', iter: number | undefined): KdfChoice {
  if (kdf === 'pbkdf2') return { kdf, iterations: checkIterations(iter ?? DEFAULT_PBKDF2_ITERATIONS) };
  const logN = Math.log2(iter ?? 2 ** DEFAULT_SCRYPT.logN);
  if (!Number.isInteger(logN) || logN < 10 || logN > MAX_ENC_SCRYPT_LOGN) {
    throw usage(`with --kdf scrypt, --iter is N and must be a power of two from 1024 to ${2 ** MAX_ENC_SCRYPT_LOGN}`);
  }
  return { kdf, logN, r: DEFAULT_SCRYPT.r, p: DEFAULT_SCRYPT.p };
}

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function text(flags: Flags, key: string): string | undefined {
  const value = flags[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw usage(`${flagName(key)} needs a value`);
  return value;
}

function bool(flags: Flags, key: string): boolean {
  return flags[key] === true;
}

function list(flags: Flags, key: string): string[] {
  const value = flags[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw usage(`${flagName(key)} needs a value`);
  }
  return value;
}

function count(flags: Flags, key: string): number | undefined {
  const value = text(flags, key);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usage(`${flagName(key)} must be a whole number`);
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw usage(`${flagName(key)} is too large`);
  return number;
}

function oneOf<T extends string>(flags: Flags, key: string, choices: readonly T[]): T | undefined {
  const value = text(flags, key);
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw usage(`${flagName(key)} must be ${choices.join(' or ')}`);
  return value as T;
}
