import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bankSuite } from './bank/suite.js';
import { chatSuite } from './chat/suite.js';
import { coldStartSuite } from './coldstart/suite.js';
import { filecryptSuite } from './filecrypt/suite.js';
import { shopSuite } from './shop/suite.js';
import { formatTable, formatTargets, writeResult } from './lib/report.js';
import { machineInfo } from './lib/machine.js';
import type { Suite } from './lib/suite.js';

/**
 * `pnpm bench [tool...] [--quick]`: run each tool's benchmarks beside its
 * peers, print the tables and write JSON results under bench/results/.
 */
// filecrypt runs last: freeing its 1 GiB files leaves this kind of virtual machine in a state where the next new
// process or two come up with ≈35 MiB more anonymous memory (seen as a chat idle RSS of 145–164 MiB instead of 111),
// so it would skew whatever suite came after it.
const suites: Record<string, Suite> = {
  chat: chatSuite,
  'cold-start': coldStartSuite,
  'shop-api': shopSuite,
  bank: bankSuite,
  filecrypt: filecryptSuite,
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`bench: unknown tool ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}

const m = machineInfo();
console.log(
  `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, Linux ${m.kernel}${quick ? ' (quick run)' : ''}`,
);
const started = Date.now();
let failed = false;
for (const name of wanted.length > 0 ? wanted : Object.keys(suites)) {
  const suite = suites[name];
  if (!suite) continue;
  console.log(`\n## ${name}\n`);
  try {
    const result = await suite({ root, quick, log: (line) => console.log(line) });
    for (const table of result.tables) console.log('\n' + formatTable(table));
    console.log('\n' + formatTargets(result));
    console.log(`\nresult: ${writeResult(root, result).slice(root.length + 1)}`);
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}
console.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed ? 1 : 0;
