import { usage } from './errors.js';

/**
 * Readers for flags as commander hands them over (strings, booleans, string
 * lists), unchecked: each returns the typed value or throws a one-line usage
 * error naming the flag as the user typed it.
 */
export type Flags = Readonly<Record<string, unknown>>;

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function text(flags: Flags, key: string): string | undefined {
  const value = flags[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw usage(`${flagName(key)} needs a value`);
  return value;
}

export function bool(flags: Flags, key: string): boolean {
  return flags[key] === true;
}

export function list(flags: Flags, key: string): string[] {
  const value = flags[key];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw usage(`${flagName(key)} needs a value`);
  }
  return value;
}

export function count(flags: Flags, key: string): number | undefined {
  const value = text(flags, key);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usage(`${flagName(key)} must be a whole number`);
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw usage(`${flagName(key)} is too large`);
  return number;
}

export function oneOf<T extends string>(flags: Flags, key: string, choices: readonly T[]): T | undefined {
  const value = text(flags, key);
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw usage(`${flagName(key)} must be ${choices.join(' or ')}`);
  return value as T;
}
