#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { EXIT, exitCodeByKind } from './exit-codes.js';
import { buildProgram, type Outcome } from './program.js';

// Only commander is loaded up front: `bank --version` and `--help` never open
// SQLite, bcrypt or inquirer. Each action imports what it needs.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Parse, run, print; the one error handler turns a known error into one line on stderr and its exit code. */
async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  const outcome: Outcome = {};
  try {
    await buildProgram(outcome, version).parseAsync(argv);
  } catch (error) {
    process.exitCode = await reportError(error, debug);
    return;
  }
  const { result } = outcome;
  if (!result) return; // the menus, help or version
  process.stdout.write(`${outcome.json ? JSON.stringify(result.data, null, 2) : result.text}\n`);
  process.exitCode = result.exitCode ?? EXIT.ok;
}

async function reportError(error: unknown, debug: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help/version text).
    const printed = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    return printed ? EXIT.ok : EXIT.usage;
  }
  const { isQuartetError } = await import('@quartet/core');
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  if (isQuartetError(error)) {
    process.stderr.write(`bank: ${error.message}${stack}\n`);
    return exitCodeByKind[error.kind];
  }
  if (isPromptCancel(error)) {
    process.stderr.write('bank: cancelled\n');
    return EXIT.usage;
  }
  if (isSqliteBusy(error)) {
    process.stderr.write(`bank: the database is busy; try again${stack}\n`);
    return EXIT.refused;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    debug
      ? `bank: internal error: ${stack.trimStart() || message}\n`
      : `bank: internal error: ${message} (--debug shows where)\n`,
  );
  return EXIT.refused;
}

function isPromptCancel(error: unknown): boolean {
  return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError');
}

function isSqliteBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_BUSY';
}

await main(process.argv);
