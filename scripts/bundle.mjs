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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { freshDir, swapIn } from './swap-dir.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The bins to bundle: package folder, tsc's entry files, and the packages loaded at run time from node_modules. */
const BUNDLES = [
  {
    pkg: 'bank-cli',
    entries: ['dist/cli.js'],
    external: ['better-sqlite3', 'bcrypt', '@zxcvbn-ts/language-common'],
  },
  // The worker thread of filecrypt's parallel path is its own entry, beside cli.js: the code that starts it
  // resolves `./crypt-worker.js` from its own URL, which is bundle/ here and dist/parallel/ unbundled.
  {
    pkg: 'filecrypt',
    entries: ['dist/cli.js', { in: 'dist/parallel/crypt-worker.js', out: 'crypt-worker' }],
    external: [],
  },
];

// CommonJS dependencies bundled into ES modules call require() for Node's built-ins.
const requireShim =
  "import { createRequire as __bundleRequire } from 'node:module';\n" +
  'const require = __bundleRequire(import.meta.url);';

/**
 * Load the external CommonJS packages with require() rather than import: an `import` of CommonJS makes Node parse
 * the package's source for its export names first (cjs-module-lexer), which cost ~10 ms of every bank start.
 * esbuild wraps the required module for the importing code's default and named imports.
 */
function requireExternals(names) {
  return {
    name: 'require-externals',
    setup(bundle) {
      const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
      bundle.onResolve({ filter }, ({ path, kind }) =>
        kind === 'require-call' ? { path, external: true } : { path, namespace: 'require-external' },
      );
      bundle.onLoad({ filter: /.*/, namespace: 'require-external' }, ({ path }) => ({
        contents: `module.exports = require(${JSON.stringify(path)});`,
        loader: 'js',
      }));
    },
  };
}

for (const { pkg, entries, external } of BUNDLES) {
  const dir = join(root, 'packages', pkg);
  const outdir = join(dir, 'bundle');
  // Built beside and swapped in, so that a bin started during a rebuild finds a whole bundle.
  const fresh = freshDir(outdir);
  await build({
    absWorkingDir: dir,
    entryPoints: entries,
    outdir: fresh,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    plugins: external.length > 0 ? [requireExternals(external)] : [],
    banner: { js: requireShim },
    legalComments: 'none',
    logLevel: 'warning',
  });
  swapIn(fresh, outdir);
}
