import { defineConfig } from 'drizzle-kit';

// `pnpm exec drizzle-kit generate` writes SQL migrations into ./migrations; they are committed and applied at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
