import { ValidationError } from '@quartet/core/errors';
import type { PasswordHasher } from '@quartet/core/password';

/** Server operators: name to bcrypt hash, from lines `name:<hash>`. */
export interface OperList {
  verify(name: string, password: string): Promise<boolean>;
}

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

export function createOperList(entries: ReadonlyMap<string, string>, hasher: PasswordHasher): OperList {
  return {
    async verify(name, password) {
      const hash = entries.get(name);
      // An unknown name costs as much as a wrong password, so names cannot be probed.
      if (hash === undefined) return hasher.verifyDummy(password);
      return hasher.verify(password, hash);
    },
  };
}
