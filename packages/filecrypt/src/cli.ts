#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { decSettings, encSettings, loadConfig, passphraseSettings } from './config.js';
import { decCommand } from './commands/dec.js';
import { encCommand } from './commands/enc.js';
import { inspectCommand } from './commands/inspect.js';
import { keygenCommand } from './commands/keygen.js';
import type { CommandContext } from './commands/context.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { removeAllTemporarySync } from './io/cleanup.js';
import { promptHidden } from './io/tty.js';

/** The only module that prints or exits. */
const collect = (value: string, previous: string[] = []) => [...previous, value];
const passphraseOptions = (command: Command) =>
  command
    .option('--passphrase-file <file>', 'read the passphrase from the first line of FILE')
    .option('--passphrase-fd <n>', 'read the passphrase from the first line of file descriptor N');

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

function program(): Command {
  const root = new Command('filecrypt')
    .description('Authenticated streaming file encryption (AES-256-GCM), with an openssl-compatible mode')
    .option('--debug', 'show stack traces for unexpected errors')
    .exitOverride()
    .showHelpAfterError(false);

  passphraseOptions(
    root
      .command('enc')
      .description('encrypt a file, a directory or stdin')
      .argument('[input]', 'file or directory to encrypt (default: stdin)')
      .option('-o, --output <file>', 'write here instead of stdout')
      .option('--force', 'overwrite an existing output')
      .addOption(new Option('--format <format>', 'native or openssl').choices(['native', 'openssl']))
      .addOption(new Option('--kdf <kdf>', 'passphrase KDF').choices(['pbkdf2', 'scrypt']))
      .option('--iter <n>', 'PBKDF2 iterations (default 600000), or scrypt N with --kdf scrypt (default 131072)')
      .option('-r, --recipient <pubkey>', 'encrypt to this X25519 public key (repeatable)', collect)
      .option('-R, --recipients-file <file>', 'encrypt to the public keys listed in FILE (repeatable)', collect)
      .option('--quiet', 'no progress bar'),
  ).action(async (input: string | undefined, flags: Record<string, unknown>) => {
    await encCommand(input, encSettings(flags), context());
  });

  passphraseOptions(
    root
      .command('dec')
      .description('decrypt a filecrypt or openssl-format file')
      .argument('[input]', 'file to decrypt (default: stdin)')
      .option('-o, --output <path>', 'write here instead of stdout (a directory for directory archives)')
      .option('--force', 'overwrite an existing output')
      .option('-k, --key <keyfile>', 'X25519 key file from filecrypt keygen (repeatable)', collect)
      .option('--iter <n>', 'PBKDF2 iterations for openssl-format files (default 600000)')
      .option('--restore-name', 'write to the stored original name, inside -o DIR (default: the current directory)')
      .option('--quiet', 'no progress bar'),
  ).action(async (input: string | undefined, flags: Record<string, unknown>) => {
    await decCommand(input, decSettings(flags), context());
  });

  root
    .command('keygen')
    .description('create an X25519 key file (mode 0600) and print its public key')
    .option('-o, --output <keyfile>', 'write the key file here instead of stdout')
    .option('--force', 'overwrite an existing key file')
    .action(async (flags: { output?: string; force?: boolean }) => {
      const result = await keygenCommand({ output: flags.output, force: flags.force ?? false }, context());
      process.stdout.write(result.keyFileText ?? `${result.publicKey}\n`);
    });

  passphraseOptions(
    root
      .command('inspect')
      .description('show header facts; with a passphrase or key, verify the file and show its metadata')
      .argument('[input]', 'file to inspect (default: stdin)')
      .option('-k, --key <keyfile>', 'X25519 key file (repeatable)', collect),
  ).action(async (input: string | undefined, flags: Record<string, unknown>) => {
    const lines = await inspectCommand(input, passphraseSettings(flags), context());
    process.stdout.write(lines.join('\n') + '\n');
  });
  return root;
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export async function main(argv = process.argv): Promise<number> {
  for (const [signal, code] of Object.entries(SIGNALS)) {
    process.once(signal, () => {
      removeAllTemporarySync();
      process.stderr.write(`filecrypt: interrupted by ${signal}\n`);
      process.exit(code);
    });
  }
  const cli = program();
  try {
    await cli.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    removeAllTemporarySync();
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const code = exitCodeFor(error);
    if (code !== undefined) {
      process.stderr.write(`filecrypt: ${(error as Error).message}\n`);
      return code;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.bug;
    const debug = cli.opts<{ debug?: boolean }>().debug;
    process.stderr.write(
      debug ? `${(error as Error).stack}\n` : `filecrypt: unexpected error: ${String(error)} (run with --debug)\n`,
    );
    return EXIT.bug;
  }
}

process.exitCode = await main();
