#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { EXIT, exitCodeByKind } from './exit-codes.js';
import { packageFile } from './package-files.js';
import { buildProgram, type Outcome } from './program.js';

// Only commander is loaded up front: `bank --version` and `--help` never open
// SQLite, bcrypt or inquirer. Each action imports what it needs.
const { version } = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as {
  version: string;
};

/** Parse, run, print; the one error handler turns a known error into one line on stderr and its exit code. */
async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug');
  const outcome: Outcome = { warnings: [] };
  try {
    await buildProgram(outcome, version).parseAsync(argv);
  } catch (error) {
    printWarnings(outcome);
    process.exitCode = await reportError(error, debug);
    return;
  }
  printWarnings(outcome);
  const { result } = outcome;
  if (!result) return; // the menus, help or version
  const { jsonForOutput, visible } = await import('./visible-text.js');
  process.stdout.write(`${outcome.json ? jsonForOutput(result.data) : visible(result.text)}\n`);
  process.exitCode = result.exitCode ?? EXIT.ok;
}

function printWarnings({ warnings }: Outcome): void {
  for (const line of warnings) process.stderr.write(`bank: ${line}\n`);
}

async function reportError(error: unknown, debug: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    // commander has already printed its message, or the help asked for. Help
    // shown because a subcommand is missing (`bank admin`) is a usage error.
    return ['commander.helpDisplayed', 'commander.version'].includes(error.code) ? EXIT.ok : EXIT.usage;
  }
  const { isQuartetError } = await import('@quartet/core/errors');
  // A message may quote input (an amount, a type, a file name): never let it act on the terminal.
  const { visible } = await import('./visible-text.js');
  const stack = debug && error instanceof Error && error.stack ? `\n${visible(error.stack)}` : '';
  if (isQuartetError(error)) {
    process.stderr.write(`bank: ${visible(error.message)}${stack}\n`);
    // As shop-api's: a PostgreSQL server that cannot be reached is exit 6, which scripts can retry on.
    return error.code === 'DATABASE_UNAVAILABLE' ? EXIT.databaseUnavailable : exitCodeByKind[error.kind];
  }
  if (isPromptCancel(error)) {
    process.stderr.write('bank: cancelled\n');
    return EXIT.usage;
  }
  const sqliteCode = sqliteErrorCode(error);
  if (sqliteCode === 'SQLITE_BUSY') {
    process.stderr.write(`bank: the database is busy; try again${stack}\n`);
    return EXIT.refused;
  }
  if (sqliteCode !== undefined) {
    // Not a bank database, a read-only file, a full disk: say so in one line.
    process.stderr.write(`bank: database error: ${visible((error as Error).message)} (${sqliteCode})${stack}\n`);
    return EXIT.refused;
  }
  const state = (error as { code?: unknown }).code;
  // SQLSTATE classes start with a digit, or are F0, HV, P0 or XX (so not errno codes such as EPIPE).
  if (typeof state === 'string' && /^([0-9][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/.test(state)) {
    // PostgreSQL refused a statement (a database that is not bank's, missing privileges): one line, its SQLSTATE.
    process.stderr.write(`bank: database error: ${visible((error as Error).message)} (SQLSTATE ${state})${stack}\n`);
    return EXIT.refused;
  }
  const message = visible(error instanceof Error ? error.message : String(error));
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

function sqliteErrorCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

await main(process.argv);
