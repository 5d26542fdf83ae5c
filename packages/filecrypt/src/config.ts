import { z } from 'zod';
import { DEFAULT_PBKDF2_ITERATIONS, DEFAULT_SCRYPT, DEFAULT_KDF_LIMITS } from './format/constants.js';
import type { KdfChoice } from './crypto/passphrase.js';
import { usage } from './errors.js';

/** The only file that reads process.env. */
export interface Config {
  /** FILECRYPT_PASSPHRASE, used when no --passphrase-file or --passphrase-fd is given. */
  passphrase: string | undefined;
}

export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  return { passphrase: env['FILECRYPT_PASSPHRASE'] };
}

const count = (name: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n), `${name} is too large`);

const passphraseFlags = {
  passphraseFile: z.string().optional(),
  passphraseFd: count('--passphrase-fd').optional(),
};

const encSchema = z.object({
  output: z.string().optional(),
  force: z.boolean().default(false),
  format: z.enum(['native', 'openssl'], { message: '--format must be native or openssl' }).default('native'),
  kdf: z.enum(['pbkdf2', 'scrypt'], { message: '--kdf must be pbkdf2 or scrypt' }).default('pbkdf2'),
  iter: count('--iter').optional(),
  recipient: z.array(z.string()).default([]),
  recipientsFile: z.array(z.string()).default([]),
  quiet: z.boolean().default(false),
  ...passphraseFlags,
});

const decSchema = z.object({
  output: z.string().optional(),
  force: z.boolean().default(false),
  key: z.array(z.string()).default([]),
  iter: count('--iter').optional(),
  restoreName: z.boolean().default(false),
  quiet: z.boolean().default(false),
  ...passphraseFlags,
});

export type EncFlags = z.output<typeof encSchema>;
export type DecFlags = z.output<typeof decSchema>;

export interface EncSettings extends Omit<EncFlags, 'kdf' | 'iter'> {
  kdf: KdfChoice;
  /** PBKDF2 iterations for --format openssl. */
  opensslIterations: number;
}

export interface DecSettings extends Omit<DecFlags, 'iter'> {
  opensslIterations: number;
}

/** Flags to settings: defaults applied, combinations checked, --iter read per KDF. */
export function encSettings(flags: unknown): EncSettings {
  const parsed = parseWith(encSchema, flags);
  checkPassphraseFlags(parsed);
  const { iter, kdf, ...rest } = parsed;
  const recipients = parsed.recipient.length + parsed.recipientsFile.length > 0;
  if (recipients && (parsed.passphraseFile !== undefined || parsed.passphraseFd !== undefined)) {
    throw usage('use either recipients (-r, -R) or a passphrase, not both');
  }
  if (parsed.format === 'openssl' && recipients)
    throw usage('--format openssl has no recipients; it uses a passphrase');
  if (parsed.format === 'openssl' && kdf === 'scrypt') throw usage('--format openssl always uses PBKDF2');
  const opensslIterations =
    parsed.format === 'openssl' ? checkIterations(iter ?? DEFAULT_PBKDF2_ITERATIONS) : DEFAULT_PBKDF2_ITERATIONS;
  return { ...rest, kdf: kdfChoice(kdf, iter), opensslIterations };
}

export function decSettings(flags: unknown): DecSettings {
  const parsed = parseWith(decSchema, flags);
  checkPassphraseFlags(parsed);
  const { iter, ...rest } = parsed;
  return { ...rest, opensslIterations: checkIterations(iter ?? DEFAULT_PBKDF2_ITERATIONS) };
}

/** Passphrase flags shared by inspect and keyless commands. */
export function passphraseSettings(flags: unknown): { passphraseFile?: string; passphraseFd?: number; key: string[] } {
  const parsed = parseWith(z.object({ ...passphraseFlags, key: z.array(z.string()).default([]) }), flags);
  checkPassphraseFlags(parsed);
  return {
    key: parsed.key,
    ...(parsed.passphraseFile === undefined ? {} : { passphraseFile: parsed.passphraseFile }),
    ...(parsed.passphraseFd === undefined ? {} : { passphraseFd: parsed.passphraseFd }),
  };
}

/** Like core's parseWith, but the message is the flag's own sentence, without a zod path prefix. */
function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw usage(result.error.issues[0]?.message ?? 'invalid options');
}

function checkPassphraseFlags(flags: { passphraseFile?: string | undefined; passphraseFd?: number | undefined }) {
  if (flags.passphraseFile !== undefined && flags.passphraseFd !== undefined) {
    throw usage('use either --passphrase-file or --passphrase-fd, not both');
  }
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
  const n = iter ?? 2 ** DEFAULT_SCRYPT.logN;
  const logN = Math.log2(n);
  if (!Number.isInteger(logN) || logN < 10 || logN > DEFAULT_KDF_LIMITS.maxScryptLogN) {
    throw usage(
      `with --kdf scrypt, --iter is N and must be a power of two from 1024 to ${2 ** DEFAULT_KDF_LIMITS.maxScryptLogN}`,
    );
  }
  return { kdf, logN, r: DEFAULT_SCRYPT.r, p: DEFAULT_SCRYPT.p };
}
