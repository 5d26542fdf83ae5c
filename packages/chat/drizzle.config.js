// `pnpm exec drizzle-kit generate` writes SQL migrations into ./drizzle; they are committed and applied at start.
// Plain JS so that it needs no tsconfig of its own.
/** @type {import('drizzle-kit').Config} */
export default {
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './drizzle',
};
