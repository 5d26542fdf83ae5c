import { resolve } from 'node:path';
import { outputExists, usage } from '../errors.js';
import { pathExists } from '../io/output.js';
import { streamSink, type Sink } from '../io/sink.js';
import type { CommandContext } from './context.js';

/** Checks made before any passphrase is asked, so that a refused run costs the user nothing. */
export function checkOutputPath(output: string | undefined, input: string | undefined, force: boolean): void {
  if (output === undefined || output === '-') return;
  if (input !== undefined && resolve(output) === resolve(input)) throw usage('the output would overwrite the input');
  if (!force && pathExists(output)) throw outputExists(output);
}

/** Text (plaintext, or age's ASCII armor, which age too prints on a terminal) may go to a terminal; bytes may not. */
export function stdoutSink(
  context: CommandContext,
  what: 'ciphertext' | 'plaintext' | 'armored ciphertext' | 'a directory archive',
): Sink {
  if (what !== 'plaintext' && what !== 'armored ciphertext' && context.stdout.isTTY) {
    throw usage(`refusing to write ${what} to a terminal; use -o FILE or redirect stdout`);
  }
  return streamSink(context.stdout, { end: false });
}
