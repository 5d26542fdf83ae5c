import { ValidationError } from '@quartet/core/errors';
import type { PasswordHasher } from '@quartet/core/password';
import { AttemptWindow } from '../timing/attempt-window.js';

/** Server operators: name to bcrypt hash, from lines `name:<hash>`. */
export interface OperList {
  /**
   * true for the right name and password. An address with MAX_OPER_FAILURES
   * failed attempts in the last OPER_FAILURE_WINDOW_MS gets false without a
   * check, whatever it sends, until the oldest failure ages out.
   */
  verify(name: string, password: string, address: string): Promise<boolean>;
}

/** ASVS 2.2.1: bound guessing per client address; also bounds the bcrypt work one address can cause. */
export const MAX_OPER_FAILURES = 5;
export const OPER_FAILURE_WINDOW_MS = 15 * 60_000;

export const OPER_NAME_RE = /^[A-Za-z0-9_.-]{1,32}$/;

/** Parse an oper file. Blank lines and `#` comments are skipped; anything else malformed is an error. */
export function parseOperFile(text: string, source: string): Map<string, string> {
  const opers = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon === -1 || !OPER_NAME_RE.test(name) || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) {
      throw new ValidationError(`${source}:${index + 1}: expected name:<bcrypt hash>`, { code: 'OPER_FILE' });
    }
    opers.set(name, hash);
  });
  return opers;
}

export function createOperList(
  entries: ReadonlyMap<string, string>,
  hasher: PasswordHasher,
  now: () => number = Date.now,
): OperList {
  const failures = new AttemptWindow(MAX_OPER_FAILURES, OPER_FAILURE_WINDOW_MS, now);
  return {
    async verify(name, password, address) {
      // Counted as a failure before bcrypt runs, and taken back if it succeeds.
      const at = failures.take(address);
      if (at === undefined) return false;
      const hash = entries.get(name);
      // An unknown name costs as much as a wrong password, so names cannot be probed.
      const ok = hash === undefined ? await hasher.verifyDummy(password) : await hasher.verify(password, hash);
      if (ok) failures.forgive(address, at);
      return ok;
    },
  };
}
