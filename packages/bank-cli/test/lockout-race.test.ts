import { describe, expect, it } from 'vitest';
import { adminAndAlice } from './helpers.js';
import { rawDatabase } from './raw-database.js';

const PROCESSES = 24;
const WRONG = { code: 3, stdout: '', stderr: 'bank: invalid username or password\n' };
const LOCKED = { code: 1, stdout: '', stderr: 'bank: too many failed logins; alice is locked for 15 more minutes\n' };

describe('the login lockout across simultaneous processes', () => {
  it(`judges exactly 5 of ${PROCESSES} wrong passwords started at once; the rest, and then the right one, are locked out`, async () => {
    const w = await adminAndAlice();
    // 24 processes queue on one write lock; on a loaded machine that can take longer than the default 5 s wait,
    // and this test is about what the lock decides, not about SQLITE_BUSY.
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) =>
        w.as('alice', ['accounts'], { BANK_PASSWORD: `wrong guess ${i} !`, BANK_BUSY_TIMEOUT_MS: '120000' }),
      ),
    );
    const judged = results.filter((r) => JSON.stringify(r) === JSON.stringify(WRONG)).length;
    const locked = results.filter((r) => JSON.stringify(r) === JSON.stringify(LOCKED)).length;
    const other = results.filter((r) => ![WRONG, LOCKED].some((x) => JSON.stringify(x) === JSON.stringify(r)));
    expect({ judged, locked, other }).toEqual({ judged: 5, locked: PROCESSES - 5, other: [] });

    expect(await w.as('alice', ['accounts'])).toEqual(LOCKED);
    // What the database recorded: five judged passwords, and every refused attempt.
    const reasons = rawDatabase(w.file).all(
      'SELECT reason, count(*) AS n FROM login_failures GROUP BY reason ORDER BY reason',
    );
    expect(reasons).toEqual([
      { reason: 'bad_password', n: 5 },
      { reason: 'locked', n: PROCESSES - 5 + 1 },
    ]);
  });
});
