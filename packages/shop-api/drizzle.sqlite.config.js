// `pnpm exec drizzle-kit generate --config drizzle.sqlite.config.js` writes SQL migrations into ./migrations/sqlite;
// they are committed and applied at start. Plain JS so that it needs no tsconfig of its own.
/** @type {import('drizzle-kit').Config} */
export default {
  dialect: 'sqlite',
  schema: './src/db/sqlite/schema.ts',
  out: './migrations/sqlite',
};
