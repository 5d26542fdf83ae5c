// The route suites run against any Store; this file runs them on SQLite.
import { authSuite } from './routes/auth.suite.js';
import { cartSuite } from './routes/cart.suite.js';
import { catalogSuite } from './routes/catalog.suite.js';
import { ordersSuite } from './routes/orders.suite.js';
import { sqliteStore } from './support/sqlite.js';

authSuite(sqliteStore);
catalogSuite(sqliteStore);
cartSuite(sqliteStore);
ordersSuite(sqliteStore);
