#!/usr/bin/env node
// Bundle the bins whose cold start pays for loading many small ES modules (drizzle-orm alone is ~200 files).
// Runs after `tsc -b` (part of `pnpm build`) and bundles tsc's JavaScript, so types are checked by tsc alone.
//
// Each bundle goes to `packages/<name>/bundle/`, one level under the package root like `dist/`, so a path
// that a module resolves from its own URL to a file shipped in the package (package.json, migrations/) is
// the same from either (chunks stay in that one folder for the same reason). Code splitting keeps each command's dynamic `import()` lazy: `--version` loads one
// small file, and only the chunks a command needs are read. Native addons (better-sqlite3, bcrypt) and
// modules that core loads by name at run time stay outside, so each bundled package lists them as its own
// dependencies.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The bins to bundle: package folder, tsc's entry files, and what stays a runtime `import`. */
const BUNDLES = [
  {
    pkg: 'bank-cli',
    entries: ['dist/cli.js'],
    external: ['better-sqlite3', 'bcrypt', '@zxcvbn-ts/language-common'],
  },
  { pkg: 'filecrypt', entries: ['dist/cli.js'], external: [] },
];

// CommonJS dependencies bundled into ES modules call require() for Node's built-ins.
const requireShim =
  "import { createRequire as __bundleRequire } from 'node:module';\n" +
  'const require = __bundleRequire(import.meta.url);';

for (const { pkg, entries, external } of BUNDLES) {
  const dir = join(root, 'packages', pkg);
  const outdir = join(dir, 'bundle');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: dir,
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external,
    banner: { js: requireShim },
    legalComments: 'none',
    logLevel: 'warning',
  });
}
