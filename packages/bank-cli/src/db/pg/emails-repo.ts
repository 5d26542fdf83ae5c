import type { EmailStore, StoredEmail } from '../../domain/store.js';
import type { PgConnection } from './connection.js';

export function createEmailRepo(pg: PgConnection): EmailStore {
  const get = pg.statement<StoredEmail>(
    `SELECT address, verified_at AS "verifiedAt", code_hash AS "codeHash", code_expires_at AS "codeExpiresAt",
       code_tries AS "codeTries"
     FROM user_emails WHERE user_id = $1`,
  );
  const set = pg.statement(
    `INSERT INTO user_emails (user_id, address, code_hash, code_expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET address = excluded.address, verified_at = NULL,
       code_hash = excluded.code_hash, code_expires_at = excluded.code_expires_at, code_tries = 0`,
  );
  const setTries = pg.statement(`UPDATE user_emails SET code_tries = $2 WHERE user_id = $1`);
  const verified = pg.statement(
    `UPDATE user_emails SET verified_at = $2, code_hash = NULL, code_expires_at = NULL, code_tries = 0
     WHERE user_id = $1`,
  );
  const remove = pg.statement(`DELETE FROM user_emails WHERE user_id = $1`);
  return {
    get: (userId) => get.get([userId]),
    setAddress: (userId, address, code) => set.run([userId, address, code.hash, code.expiresAt]),
    setTries: (userId, tries) => setTries.run([userId, tries]),
    markVerified: (userId, at) => verified.run([userId, at]),
    remove: (userId) => remove.run([userId]),
  };
}
