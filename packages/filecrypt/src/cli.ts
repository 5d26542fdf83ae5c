#!/usr/bin/env node
// First, so that it runs before the other modules are evaluated.
import './lean-runtime.js';
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { loadConfig } from './config.js';
import type { CommandContext } from './commands/context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { printable } from './format/printable.js';
import { removeAllTemporarySync } from './io/cleanup.js';
import { promptHidden } from './io/tty.js';
import { buildProgram, type Outcome } from './program.js';

/**
 * The only module that prints or exits: commander throws instead of exiting
 * (exitOverride) and reports its errors through the one handler in main(),
 * which prints them as a single `filecrypt: ...` line like every other error.
 * program.ts loads a command's module only when that command runs.
 */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function context(): CommandContext {
  return {
    config: loadConfig(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderrIsTTY: process.stderr.isTTY,
    warn: (line) => process.stderr.write(`filecrypt: ${line}\n`),
    progressWrite: (text) => process.stderr.write(text),
    prompt: promptHidden,
  };
}

async function run(args: string[]): Promise<number> {
  const outcome: Outcome = {};
  const program = buildProgram(outcome, {
    version,
    context,
    output: {
      // Help and --version, asked for or shown because the command is missing.
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      // Errors are thrown (exitOverride) and printed by main().
      outputError: () => undefined,
    },
  });
  await program.parseAsync(args, { from: 'user' });
  if (outcome.printed !== undefined) process.stdout.write(outcome.printed);
  return EXIT.ok;
}

/** commander's "error: unknown option '--x'\n(Did you mean --y?)" as one line without the prefix. */
function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error: /, '').replace(/\n+/g, ' ');
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export async function main(args = process.argv.slice(2)): Promise<number> {
  for (const [signal, code] of Object.entries(SIGNALS)) {
    process.once(signal, () => {
      removeAllTemporarySync();
      process.stderr.write(`filecrypt: interrupted by ${signal}\n`);
      process.exit(code);
    });
  }
  const debug = args.includes('--debug');
  try {
    return await run(args.filter((arg) => arg !== '--debug'));
  } catch (error) {
    removeAllTemporarySync();
    if (error instanceof CommanderError) {
      // Help and --version exit 0; help shown for a missing command and every parse error are usage errors.
      if (error.exitCode === 0) return EXIT.ok;
      if (error.code !== 'commander.help') process.stderr.write(`filecrypt: ${commanderMessage(error)}\n`);
      return EXIT.usage;
    }
    const code = exitCodeFor(error);
    if (code !== undefined) {
      // Messages quote names from the file: escaped, so that each stays one harmless line.
      process.stderr.write(`filecrypt: ${printable((error as Error).message)}\n`);
      return code;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.bug;
    process.stderr.write(
      debug ? `${(error as Error).stack}\n` : `filecrypt: unexpected error: ${String(error)} (run with --debug)\n`,
    );
    return EXIT.bug;
  }
}

process.exitCode = await main();
