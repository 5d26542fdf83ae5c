// The import rules of .dependency-cruiser.cjs, each shown to fail on a small tree that breaks it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Lay out `files` in a temp repo and return the rule, source and target of every violation. */
function violations(files) {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-depcruise-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(root, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const depcruise = join(root, 'node_modules', '.bin', 'depcruise');
  const config = join(root, '.dependency-cruiser.cjs');
  let out;
  try {
    out = execFileSync(depcruise, ['packages', '--config', config, '--output-type', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
  } catch (error) {
    // depcruise exits with the number of errors; the JSON report is on stdout all the same.
    out = error.stdout;
  }
  return JSON.parse(out)
    .summary.violations.map((v) => [v.rule.name, v.from, v.to])
    .sort((x, y) => x.join().localeCompare(y.join()));
}

const used = { 'packages/chat/src/main.ts': "import { a } from './a.js';\nexport const main = a;\n" };

describe('dependency rules (pnpm lint)', () => {
  it('passes a tree that keeps them', () => {
    expect(
      violations({
        ...used,
        'packages/chat/src/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
        'packages/chat/src/b.ts': 'export const b = 1;\n',
      }),
    ).toEqual([]);
  });

  it('fails a cycle, type-only imports included', () => {
    expect(
      violations({
        ...used,
        'packages/chat/src/a.ts': "import type { B } from './b.js';\nexport const a = 1;\nexport type A = B;\n",
        'packages/chat/src/b.ts': "import type { A } from './a.js';\nexport type B = A | 2;\n",
      }).filter(([rule]) => rule === 'no-circular'),
    ).toEqual([['no-circular', 'packages/chat/src/a.ts', 'packages/chat/src/b.ts']]);
  });

  it('fails domain/ importing storage, commands or an I/O module', () => {
    expect(
      violations({
        'packages/bank-cli/src/cli.ts': "import { rule } from './domain/rule.js';\nexport const x = rule;\n",
        'packages/bank-cli/src/domain/rule.ts':
          "import { readFileSync } from 'node:fs';\nimport { repo } from '../db/repo.js';\nimport { cmd } from '../commands/cmd.js';\nexport const rule = [readFileSync, repo, cmd];\n",
        'packages/bank-cli/src/db/repo.ts': 'export const repo = 1;\n',
        'packages/bank-cli/src/commands/cmd.ts': 'export const cmd = 1;\n',
      }),
    ).toEqual([
      ['domain-no-io-modules', 'packages/bank-cli/src/domain/rule.ts', 'fs'],
      ['domain-stays-pure', 'packages/bank-cli/src/domain/rule.ts', 'packages/bank-cli/src/commands/cmd.ts'],
      ['domain-stays-pure', 'packages/bank-cli/src/domain/rule.ts', 'packages/bank-cli/src/db/repo.ts'],
    ]);
  });

  it('fails one tool importing another, and core importing a tool', () => {
    expect(
      violations({
        'packages/chat/src/main.ts': "import { bank } from '../../bank-cli/src/bank.js';\nexport const main = bank;\n",
        'packages/bank-cli/src/bank.ts': "import { core } from '../../core/src/core.js';\nexport const bank = core;\n",
        'packages/core/src/core.ts': "import { f } from '../../filecrypt/src/f.js';\nexport const core = f;\n",
        'packages/filecrypt/src/f.ts': 'export const f = 1;\n',
      }),
    ).toEqual([
      ['core-imports-no-tool', 'packages/core/src/core.ts', 'packages/filecrypt/src/f.ts'],
      ['tools-are-independent', 'packages/chat/src/main.ts', 'packages/bank-cli/src/bank.ts'],
    ]);
  });

  it('fails an orphan module', () => {
    expect(
      violations({
        ...used,
        'packages/chat/src/a.ts': 'export const a = 1;\n',
        'packages/chat/src/lonely.ts': 'export const x = 1;\n',
      }),
    ).toEqual([['no-orphans', 'packages/chat/src/lonely.ts', 'packages/chat/src/lonely.ts']]);
  });
});
