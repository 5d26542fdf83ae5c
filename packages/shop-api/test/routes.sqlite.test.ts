// The route suites run against any Store; this file runs them on SQLite.
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
import { sqliteStore } from './support/sqlite.js';

authSuite(sqliteStore);
catalogSuite(sqliteStore);
cartSuite(sqliteStore);
couponsSuite(sqliteStore);
ordersSuite(sqliteStore);
adminSuite(sqliteStore);
malformedSuite(sqliteStore);
platformSuite(sqliteStore);
tokensSuite(sqliteStore);
textInputSuite(sqliteStore);
limitsSuite(sqliteStore);
reportsSuite(sqliteStore);
