// Plain JS so that it needs no tsconfig: `pnpm exec drizzle-kit generate --config drizzle.sqlite.config.js` from this folder.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/sqlite/schema.ts',
  out: './migrations/sqlite',
});
