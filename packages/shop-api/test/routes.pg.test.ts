// The same route suites as routes.sqlite.test.ts, on PostgreSQL (skipped, with the reason printed, when it is absent).
import { describe } from 'vitest';
import { adminSuite } from './routes/admin.suite.js';
import { authSuite } from './routes/auth.suite.js';
import { cartSuite } from './routes/cart.suite.js';
import { catalogSuite } from './routes/catalog.suite.js';
import { couponsSuite } from './routes/coupons.suite.js';
import { limitsSuite } from './routes/limits.suite.js';
import { malformedSuite } from './routes/malformed.suite.js';
import { ordersSuite } from './routes/orders.suite.js';
import { platformSuite } from './routes/platform.suite.js';
import { reportsSuite } from './routes/reports.suite.js';
import { textInputSuite } from './routes/text-input.suite.js';
import { tokensSuite } from './routes/tokens.suite.js';
import { pgStoreFactory, postgres } from './support/pg.js';

describe.skipIf(!postgres.available)('on PostgreSQL', () => {
  const pgStore = pgStoreFactory();
  authSuite(pgStore);
  catalogSuite(pgStore);
  cartSuite(pgStore);
  couponsSuite(pgStore);
  ordersSuite(pgStore);
  adminSuite(pgStore);
  malformedSuite(pgStore);
  platformSuite(pgStore);
  tokensSuite(pgStore);
  textInputSuite(pgStore);
  limitsSuite(pgStore);
  reportsSuite(pgStore);
});
