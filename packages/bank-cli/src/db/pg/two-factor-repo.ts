import type { TwoFactorStore } from '../../domain/store.js';
import type { PgConnection } from './connection.js';

export function createTwoFactorRepo(pg: PgConnection): TwoFactorStore {
  const setSecret = pg.statement(`UPDATE users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1`);
  // One statement, so two processes cannot both accept the same code.
  const advance = pg.statement(
    `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)
     RETURNING id`,
  );
  const deleteCodes = pg.statement(`DELETE FROM recovery_codes WHERE user_id = $1`);
  const insertCode = pg.statement(`INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`);
  const useCode = pg.statement(
    `UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id`,
  );
  const unused = pg.statement<{ n: number }>(
    `SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
  );

  // RETURNING's rows are the changed ones: exactly one, as SQLite's `changes === 1`.
  return {
    setSecret: (id, secret) => setSecret.run([id, secret]),
    advanceStep: (id, step) => advance.all([id, step]).length === 1,
    replaceRecoveryCodes(id, hashes) {
      deleteCodes.run([id]);
      for (const hash of hashes) insertCode.run([id, hash]);
    },
    useRecoveryCode: (id, hash, at) => useCode.all([id, hash, at]).length === 1,
    unusedRecoveryCodes: (id) => unused.get([id])?.n ?? 0,
  };
}
