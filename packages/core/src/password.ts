import bcrypt from 'bcrypt';
import { ValidationError } from './errors.js';

/** bcrypt reads at most 72 bytes and silently ignores the rest. */
export const MAX_PASSWORD_BYTES = 72;
export const DEFAULT_BCRYPT_COST = 12;

export interface PasswordHasher {
  readonly cost: number;
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /**
   * Spend the same time as a real verification and return false. Call it when
   * the user does not exist, so that login time does not reveal that.
   */
  verifyDummy(password: string): Promise<false>;
}

export function createPasswordHasher(options: { cost?: number } = {}): PasswordHasher {
  const cost = options.cost ?? DEFAULT_BCRYPT_COST;
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) {
    throw new ValidationError(`bcrypt cost must be an integer from 4 to 31, got ${String(cost)}`);
  }
  // Computed once, lazily, at the same cost as real hashes: comparing against
  // it costs exactly what comparing against a stored hash costs.
  let dummy: Promise<string> | undefined;

  return {
    cost,
    async hash(password) {
      assertPasswordLength(password);
      return bcrypt.hash(password, cost);
    },
    async verify(password, hash) {
      if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
        // Still pay for a comparison so that the answer takes the usual time.
        await bcrypt.compare('', hash);
        return false;
      }
      return bcrypt.compare(password, hash);
    },
    async verifyDummy(password) {
      dummy ??= bcrypt.hash('quartet-dummy-password', cost);
      await bcrypt.compare(password.slice(0, MAX_PASSWORD_BYTES), await dummy);
      return false;
    },
  };
}

export function assertPasswordLength(password: string): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes > MAX_PASSWORD_BYTES) {
    throw new ValidationError(`password is ${bytes} bytes long; the maximum is ${MAX_PASSWORD_BYTES} bytes of UTF-8`, {
      code: 'PASSWORD_TOO_LONG',
    });
  }
}
