// Plain JS so that it needs no tsconfig: `pnpm exec drizzle-kit generate` from this folder.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
