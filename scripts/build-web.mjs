#!/usr/bin/env node
// Build chat's web client (packages/chat/web) into packages/chat/web-dist: one minified script, the page and its
// stylesheet, which `chat-server --web` serves from a fixed list. Runs after `tsc -b` (part of `pnpm build`);
// types are checked by `pnpm typecheck` (packages/chat/web/tsconfig.json), not here.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { freshDir, swapIn } from './swap-dir.mjs';

const chat = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'chat');
const outdir = join(chat, 'web-dist');
// Built beside and swapped in, so that a server started during a rebuild reads a whole client.
const fresh = freshDir(outdir);
mkdirSync(fresh, { recursive: true });
await build({
  entryPoints: [join(chat, 'web', 'main.ts')],
  outfile: join(fresh, 'app.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
});
// The shared protocol modules must stay free of Node APIs (line-bytes.ts holds the one that needs Buffer).
if (/\bBuffer\b/.test(readFileSync(join(fresh, 'app.js'), 'utf8'))) {
  throw new Error('web-dist/app.js refers to Buffer: a Node API reached the web client');
}
for (const file of ['index.html', 'style.css']) copyFileSync(join(chat, 'web', file), join(fresh, file));
swapIn(fresh, outdir);
if (process.argv.includes('--size')) {
  for (const file of ['app.js', 'index.html', 'style.css']) {
    console.log(`${file} ${statSync(join(outdir, file)).size} bytes`);
  }
}
