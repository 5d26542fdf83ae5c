#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { decSettings, encSettings, inspectSettings, loadConfig, type Flags } from './config.js';
import type { CommandContext } from './commands/context.js';
import { usage } from './errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { removeAllTemporarySync } from './io/cleanup.js';
import { promptHidden } from './io/tty.js';

/**
 * The only module that prints or exits. Arguments are parsed with node:util's
 * parseArgs (four subcommands need no framework), and only the command being
 * run is loaded: every module costs resident memory, and a streaming run must
 * stay under 64 MiB.
 */
type Options = NonNullable<ParseArgsConfig['options']>;

interface CommandSpec {
  usage: string;
  options: Options;
  run(input: string | undefined, flags: Flags, context: CommandContext): Promise<string | undefined>;
}

const passphrase: Options = { 'passphrase-file': { type: 'string' }, 'passphrase-fd': { type: 'string' } };
const common: Options = {
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  quiet: { type: 'boolean' },
};

const COMMANDS: Record<string, CommandSpec> = {
  enc: {
    usage: `filecrypt enc [INPUT] [-o OUTPUT] [--force] [--format native|openssl] [--kdf pbkdf2|scrypt] [--iter N]
              [-r PUBKEY]... [-R RECIPIENTS_FILE]... [--passphrase-file F | --passphrase-fd N] [--quiet]
  Encrypt INPUT (a file or a directory; default stdin) to OUTPUT (default stdout).
  --iter is PBKDF2's iteration count (default 600000), or scrypt's N with --kdf scrypt (default 131072).`,
    options: {
      ...common,
      ...passphrase,
      format: { type: 'string' },
      kdf: { type: 'string' },
      iter: { type: 'string' },
      recipient: { type: 'string', short: 'r', multiple: true },
      'recipients-file': { type: 'string', short: 'R', multiple: true },
    },
    run: async (input, flags, context) => {
      const { encCommand } = await import('./commands/enc.js');
      await encCommand(input, encSettings(flags), context);
      return undefined;
    },
  },
  dec: {
    usage: `filecrypt dec [INPUT] [-o OUTPUT] [--force] [-k KEYFILE]... [--passphrase-file F | --passphrase-fd N]
              [--iter N] [--restore-name] [--quiet]
  Decrypt a filecrypt or openssl-format INPUT (default stdin) to OUTPUT (default stdout; a directory for
  directory archives). --iter applies to openssl-format files (default 600000).`,
    options: {
      ...common,
      ...passphrase,
      key: { type: 'string', short: 'k', multiple: true },
      iter: { type: 'string' },
      'restore-name': { type: 'boolean' },
    },
    run: async (input, flags, context) => {
      const { decCommand } = await import('./commands/dec.js');
      await decCommand(input, decSettings(flags), context);
      return undefined;
    },
  },
  keygen: {
    usage: `filecrypt keygen [-o KEYFILE] [--force]
  Create an X25519 key file (mode 0600) and print its public key.`,
    options: { output: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
    run: async (_input, flags, context) => {
      const output = typeof flags['output'] === 'string' ? flags['output'] : undefined;
      const { keygenCommand } = await import('./commands/keygen.js');
      const result = await keygenCommand({ output, force: flags['force'] === true }, context);
      return result.keyFileText ?? `${result.publicKey}\n`;
    },
  },
  inspect: {
    usage: `filecrypt inspect [INPUT] [-k KEYFILE]... [--passphrase-file F | --passphrase-fd N]
  Show the header facts; with a passphrase or key, verify the whole file and show its metadata.`,
    options: { ...passphrase, key: { type: 'string', short: 'k', multiple: true } },
    run: async (input, flags, context) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      const lines = await inspectCommand(input, inspectSettings(flags), context);
      return lines.join('\n') + '\n';
    },
  },
};

const HELP = `filecrypt: authenticated streaming file encryption (AES-256-GCM), with an openssl-compatible mode

${Object.values(COMMANDS)
  .map((command) => command.usage)
  .join('\n\n')}

Passphrases come from --passphrase-file, --passphrase-fd, FILECRYPT_PASSPHRASE or a prompt on the terminal.
Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 wrong passphrase or key, 4 integrity failure,
5 not a filecrypt file, 6 file not found, 7 permission denied, 8 output exists, 130/143 interrupted.
`;

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

/** --recipients-file → recipientsFile, the keys config.ts reads. */
function camelCase(values: Record<string, unknown>): Flags {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), value]),
  );
}

async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // Asked for: stdout and success. Missing command: a usage error, so stderr.
    (name === undefined ? process.stderr : process.stdout).write(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) throw usage(`unknown command "${name}"; use enc, dec, keygen or inspect`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  if (parsed.values['help']) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  if (parsed.positionals.length > 1) throw usage(`${name} takes at most one INPUT`);
  const printed = await command.run(parsed.positionals[0], camelCase(parsed.values), context());
  if (printed !== undefined) process.stdout.write(printed);
  return EXIT.ok;
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
    const code = exitCodeFor(error);
    if (code !== undefined) {
      process.stderr.write(`filecrypt: ${(error as Error).message}\n`);
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
