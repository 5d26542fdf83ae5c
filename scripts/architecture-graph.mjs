#!/usr/bin/env node
// Writes the dependency graphs in docs/architecture.md from the code, with dependency-cruiser
// (one mermaid chart per tool, folders collapsed). `--check` only compares, for `pnpm lint`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const doc = join(root, 'docs', 'architecture.md');
const START = '<!-- dependency graphs: written by `pnpm graph` from the code; do not edit by hand -->';
const END = '<!-- end of dependency graphs -->';
const TOOLS = ['core', 'bank-cli', 'shop-api', 'chat', 'filecrypt'];

function graph(tool) {
  const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
  const args = [
    `packages/${tool}/src`,
    '--include-only',
    `^packages/(${tool}|core)/`,
    '--collapse',
    tool === 'core' ? '^packages/core/src/[^/]+' : '^packages/core|^packages/[^/]+/src/[^/]+',
    '--output-type',
    'mermaid',
  ];
  return execFileSync(depcruise, args, { cwd: root, encoding: 'utf8' }).trimEnd();
}

const section = [
  START,
  ...TOOLS.flatMap((tool) => ['', `### ${tool}`, '', '```mermaid', graph(tool), '```']),
  '',
  END,
].join('\n');

const text = readFileSync(doc, 'utf8');
const from = text.indexOf(START);
const to = text.indexOf(END);
if (from === -1 || to === -1) {
  process.stderr.write(`docs/architecture.md: the markers of the dependency graphs are missing\n`);
  process.exit(1);
}
const next = text.slice(0, from) + section + text.slice(to + END.length);
if (process.argv.includes('--check')) {
  if (next !== text) {
    process.stderr.write('docs/architecture.md: the dependency graphs are out of date; run `pnpm graph`\n');
    process.exit(1);
  }
} else if (next !== text) {
  writeFileSync(doc, next);
  process.stdout.write('docs/architecture.md: dependency graphs written\n');
}
