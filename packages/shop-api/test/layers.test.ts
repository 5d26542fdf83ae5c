import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** What only the repository layer may know: a dialect's folder, its driver, the query builder. */
const DIALECT_SPECIFIC = [/^db\/sqlite\//, /^db\/pg\//, /^db\/open\.ts$/, /^drizzle-orm/, /^better-sqlite3$/, /^pg$/];

/** The modules `file` imports (static and dynamic): relative ones as paths under src/, packages by name. */
function importsOf(file: string, source = readFileSync(join(SRC, file), 'utf8')): string[] {
  const specifiers = [
    ...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g),
  ].map((match) => match[1] ?? match[2] ?? '');
  return specifiers.map((spec) =>
    spec.startsWith('.') ? relative(SRC, resolve(SRC, dirname(file), spec)).replace(/\.js$/, '.ts') : spec,
  );
}

/** Every module reachable from `file` through relative imports, and the packages they name. */
function reachable(file: string): Set<string> {
  const seen = new Set<string>();
  const visit = (module: string) => {
    if (seen.has(module)) return;
    seen.add(module);
    if (module.endsWith('.ts')) for (const next of importsOf(module)) visit(next);
  };
  visit(file);
  seen.delete(file);
  return seen;
}

const filesIn = (dir: string) =>
  readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${dir}/${name}`);

describe('layers', () => {
  it.each([...filesIn('routes'), ...filesIn('services'), ...filesIn('domain')])(
    '%s reaches nothing dialect-specific, directly or through its imports',
    (file) => {
      const bad = [...reachable(file)].filter((module) => DIALECT_SPECIFIC.some((pattern) => pattern.test(module)));
      expect(bad).toEqual([]);
    },
  );

  it('sees the imports it checks (the scan itself can fail)', () => {
    expect(importsOf('x/y.ts', "import { a } from '../db/pg/store.js';\nconst m = await import('pg');")).toEqual([
      'db/pg/store.ts',
      'pg',
    ]);
    expect([...reachable('db/open.ts')]).toEqual(expect.arrayContaining(['db/pg/store.ts', 'pg', 'drizzle-orm']));
  });
});
