import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';

/**
 * Sums over many rows (every posting of the cash account, every loan) that
 * stay exact at any size. SQLite's sum() stops with "integer overflow" past
 * 2^63, and better-sqlite3 rounds any integer past 2^53 to a double. So the
 * high and the low 32 bits of each value are summed separately (neither sum can
 * overflow for fewer than 2^31 rows), read as BigInts, and joined here.
 */
export function splitSum(expression: string, name: string): string {
  return `sum((${expression}) >> 32) AS ${name}_hi, sum((${expression}) & 4294967295) AS ${name}_lo`;
}

/** hi * 2^32 + lo for the columns splitSum named `name` (0 for no rows). */
export function joinSum(row: Record<string, unknown>, name: string): bigint {
  const hi = row[`${name}_hi`];
  const lo = row[`${name}_lo`];
  return ((typeof hi === 'bigint' ? hi : 0n) << 32n) + (typeof lo === 'bigint' ? lo : 0n);
}

/**
 * SQL that is true when the splitSum `name` is not zero, without forming the
 * sum (which could overflow): hi*2^32 + lo is 0 exactly when lo's low 32 bits
 * are 0 and hi + (lo >> 32) is 0, because lo is never negative.
 */
export function splitSumIsNotZero(name: string): string {
  const hi = `coalesce(${name}_hi, 0)`;
  const lo = `coalesce(${name}_lo, 0)`;
  return `(${hi} + (${lo} >> 32) <> 0 OR (${lo} & 4294967295) <> 0)`;
}

/** A raw statement whose integers come back as BigInt (drizzle's come back as rounded numbers). */
export function bigIntStatement(db: BetterSQLite3Database, source: string): Database.Statement {
  // drizzle() puts the connection on `$client`; the declared type leaves it off.
  const client = (db as unknown as { $client: Database.Database }).$client;
  return client.prepare(source).safeIntegers(true);
}
