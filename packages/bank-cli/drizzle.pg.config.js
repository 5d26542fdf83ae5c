// `pnpm exec drizzle-kit generate --config drizzle.pg.config.js` writes SQL migrations into ./migrations/pg;
// they are committed and applied when a PostgreSQL bank is opened. Plain JS so that it needs no tsconfig of its own.
// After generating, remove the `"public".` that drizzle-kit puts before referenced tables
// (sed -i 's/"public"\.//g' migrations/pg/NNNN_*.sql): the migrations must apply in whichever
// schema the connection's search_path names. test/schema-parity.test.ts fails when a migration still names "public".
/** @type {import('drizzle-kit').Config} */
export default {
  dialect: 'postgresql',
  schema: './src/db/pg/schema.ts',
  out: './migrations/pg',
};
