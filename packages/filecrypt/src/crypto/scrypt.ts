import { scrypt, scryptSync } from 'node:crypto';
import { promisify } from 'node:util';

/** scrypt's cost parameters: N (a power of two), r and p. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

const scryptAsync = promisify(scrypt) as (
  password: Buffer,
  salt: Buffer,
  length: number,
  options: ScryptCost & { maxmem: number },
) => Promise<Buffer>;

/**
 * Node refuses scrypt work that needs more than `maxmem` (32 MiB by default);
 * scrypt needs 128·N·r bytes. The caller's own limits decide what is
 * acceptable, so this only lifts Node's cap above what the cost needs.
 */
const withMemory = (cost: ScryptCost) => ({ ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });

/** scrypt off the main thread (libuv's pool), for reading a file: the event loop keeps serving signals. */
export function deriveScrypt(passphrase: Buffer, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  return scryptAsync(passphrase, salt, length, withMemory(cost));
}

/** scrypt on this thread, where the caller's interface is synchronous (an age recipient's wrap). */
export function deriveScryptSync(passphrase: Buffer, salt: Buffer, length: number, cost: ScryptCost): Buffer {
  return scryptSync(passphrase, salt, length, withMemory(cost));
}
