import { readFileSync } from 'node:fs';
import {
  DEFAULT_KDF_LIMITS,
  DEFAULT_PBKDF2_ITERATIONS,
  DEFAULT_SCRYPT,
  MAX_ENC_SCRYPT_LOGN,
  NO_KDF_LIMITS,
  type KdfLimits,
} from './format/constants.js';
import { DEFAULT_MAX_WORK_FACTOR, DEFAULT_SCRYPT_LOG_N } from './age/defaults.js';
import type { KdfChoice } from './crypto/passphrase.js';
import type { KeyKindName } from './formats/key-kinds.js';
import { usage } from './errors.js';
import { bool, count, list, oneOf, text, type Flags } from './flags.js';

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

export type EncFormat = 'native' | 'openssl' | 'age';

export interface EncSettings extends PassphraseSettings {
  output?: string;
  force: boolean;
  /** undefined: chosen by the recipients (age for age1… keys, else native); see encFormatOf. */
  format: EncFormat | undefined;
  armor: boolean;
  /** --kdf and --iter as given; their meaning depends on the format (encParameters). */
  kdfFlag: 'pbkdf2' | 'scrypt' | undefined;
  iter: number | undefined;
  recipient: string[];
  recipientsFile: string[];
  quiet: boolean;
}

/** What --kdf, --iter and --armor mean once the format is known. */
export interface EncParameters {
  format: EncFormat;
  armor: boolean;
  /** The native format's passphrase KDF. */
  kdf: KdfChoice;
  /** PBKDF2 iterations for --format openssl. */
  opensslIterations: number;
  /** The age scrypt stanza's work factor (log2 N). */
  ageWorkFactor: number;
}

/**
 * age writes work factor 18 and reads up to 22 without a flag: filecrypt
 * writes at most what every age reader opens by default. Below 10 a
 * passphrase is too cheap to guess.
 */
const AGE_WORK_FACTOR = { default: DEFAULT_SCRYPT_LOG_N, min: 10, max: DEFAULT_MAX_WORK_FACTOR } as const;
/** The most --max-work-factor accepts: scrypt at 2^30 needs 1 TiB of memory, and the age library stops there. */
const MAX_AGE_WORK_FACTOR = 30;

export interface DecSettings extends PassphraseSettings {
  output?: string;
  /**
   * What the file must be: native (the default) reads native and age files, told apart by their first bytes;
   * age insists on age; openssl only when asked for, as that format is unauthenticated and never picked by sniffing.
   */
  format: 'native' | 'openssl' | 'age';
  force: boolean;
  /** -k and -i files, in that order. */
  key: string[];
  opensslIterations: number;
  restoreName: boolean;
  /** Keep setuid, setgid and sticky bits from the file; they are dropped by default. */
  preservePermissions: boolean;
  quiet: boolean;
  /** What a header may ask of the KDF; --allow-expensive-kdf lifts the caps. */
  kdfLimits: KdfLimits;
  /** The highest scrypt work factor (log2 N) an age header may ask for. */
  maxWorkFactor: number;
}

export interface InspectSettings extends PassphraseSettings {
  key: string[];
  kdfLimits: KdfLimits;
}

export function encSettings(flags: Flags): EncSettings {
  const settings: EncSettings = {
    ...common(flags),
    ...passphraseSettings(flags),
    format: oneOf(flags, 'format', ['native', 'openssl', 'age'] as const),
    armor: bool(flags, 'armor'),
    kdfFlag: oneOf(flags, 'kdf', ['pbkdf2', 'scrypt'] as const),
    iter: count(flags, 'iter'),
    recipient: list(flags, 'recipient'),
    recipientsFile: list(flags, 'recipientsFile'),
  };
  const recipients = settings.recipient.length + settings.recipientsFile.length > 0;
  if (recipients && (settings.passphraseFile !== undefined || settings.passphraseFd !== undefined)) {
    throw usage('use either recipients (-r, -R) or a passphrase, not both');
  }
  if (settings.format === 'openssl' && recipients) {
    throw usage('--format openssl has no recipients; it uses a passphrase');
  }
  // Known now unless recipients may name age keys (the command decides, then checks): errors come first.
  const known = settings.format ?? (recipients ? undefined : 'native');
  if (known !== undefined) encParameters(settings, known);
  return settings;
}

/**
 * The format to write: the one asked for, else age when any recipient is an
 * age key (age1…), else native. Mixing age and filecrypt keys is refused:
 * no one file can be opened by both kinds of key.
 */
export function encFormatOf(
  settings: EncSettings,
  recipients: readonly string[],
  isAgeRecipient: (text: string) => boolean,
): EncFormat {
  const age = recipients.filter((key) => isAgeRecipient(key.trim()));
  if (age.length > 0 && recipients.some((key) => key.trim().startsWith('fcpub1'))) {
    throw usage('cannot mix age (age1…) and filecrypt (fcpub1…) recipients in one file');
  }
  return settings.format ?? (age.length > 0 ? 'age' : 'native');
}

export function encParameters(settings: EncSettings, format: EncFormat): EncParameters {
  if (settings.armor && format !== 'age') throw usage('--armor is for --format age only');
  const { kdfFlag, iter } = settings;
  if (format === 'openssl' && kdfFlag === 'scrypt') throw usage('--format openssl always uses PBKDF2');
  if (format === 'age' && kdfFlag === 'pbkdf2') throw usage('--format age always uses scrypt');
  const native = format === 'native';
  return {
    format,
    armor: settings.armor,
    kdf: native ? kdfChoice(kdfFlag ?? 'pbkdf2', iter) : { kdf: 'pbkdf2', iterations: DEFAULT_PBKDF2_ITERATIONS },
    opensslIterations:
      format === 'openssl' ? checkIterations(iter ?? DEFAULT_PBKDF2_ITERATIONS) : DEFAULT_PBKDF2_ITERATIONS,
    ageWorkFactor: format === 'age' ? ageWorkFactor(iter) : AGE_WORK_FACTOR.default,
  };
}

/** With --format age, --iter is scrypt's work factor, log2 N, as age's own -w (not N itself). */
function ageWorkFactor(iter: number | undefined): number {
  const { min, max } = AGE_WORK_FACTOR;
  if (iter === undefined) return AGE_WORK_FACTOR.default;
  if (iter < min || iter > max) {
    throw usage(`with --format age, --iter is the scrypt work factor log2(N) and must be from ${min} to ${max}`);
  }
  return iter;
}

export function decSettings(flags: Flags): DecSettings {
  return {
    ...common(flags),
    ...passphraseSettings(flags),
    format: oneOf(flags, 'format', ['native', 'openssl', 'age'] as const) ?? 'native',
    key: [...list(flags, 'key'), ...list(flags, 'identity')],
    opensslIterations: checkIterations(count(flags, 'iter') ?? DEFAULT_PBKDF2_ITERATIONS),
    restoreName: bool(flags, 'restoreName'),
    preservePermissions: bool(flags, 'preservePermissions'),
    kdfLimits: kdfLimits(flags),
    maxWorkFactor: maxWorkFactor(flags),
  };
}

export function inspectSettings(flags: Flags): InspectSettings {
  return {
    ...passphraseSettings(flags),
    key: [...list(flags, 'key'), ...list(flags, 'identity')],
    kdfLimits: kdfLimits(flags),
  };
}

export interface KeygenSettings {
  output?: string;
  force: boolean;
  kind: KeyKindName;
  /** -y FILE: print the public keys of the identities in FILE instead of making one. */
  publicKeysOf?: string;
}

/** keygen writes a native key by default, an age X25519 identity with --format age, a hybrid one with --pq. */
export function keygenSettings(flags: Flags): KeygenSettings {
  const format = oneOf(flags, 'format', ['native', 'age'] as const);
  const pq = bool(flags, 'pq');
  if (pq && format === 'native') throw usage('--pq makes an age identity; it does not go with --format native');
  const output = text(flags, 'output');
  const publicKeysOf = text(flags, 'publicKeys');
  if (publicKeysOf !== undefined && (output !== undefined || format !== undefined || pq || bool(flags, 'force'))) {
    throw usage('-y prints the public keys of FILE; it takes no -o, --force, --format or --pq');
  }
  return {
    ...(output === undefined ? {} : { output }),
    ...(publicKeysOf === undefined ? {} : { publicKeysOf }),
    force: bool(flags, 'force'),
    kind: pq ? 'pq' : (format ?? 'native'),
  };
}

function maxWorkFactor(flags: Flags): number {
  const value = count(flags, 'maxWorkFactor') ?? DEFAULT_MAX_WORK_FACTOR;
  if (value < 1 || value > MAX_AGE_WORK_FACTOR)
    throw usage(`--max-work-factor must be from 1 to ${MAX_AGE_WORK_FACTOR}`);
  return value;
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
