import { Command, Option, type OutputConfiguration } from 'commander';
import { decSettings, encSettings, inspectSettings, type Flags } from './config.js';
import type { CommandContext } from './commands/context.js';

/** What the command that ran hands back for cli.ts to print on stdout (keygen, inspect). */
export interface Outcome {
  printed?: string;
}

/**
 * The commander tree. Actions only compute: each command module is imported
 * when its action runs, so a run loads only its own command (every module costs
 * resident memory, and a streaming run must stay under 64 MiB), and anything to
 * print is left in `outcome` for cli.ts. Flags are checked by config.ts, not
 * here, so that the rules live in one place whoever calls the commands.
 */
export function buildProgram(
  outcome: Outcome,
  options: { version: string; output: OutputConfiguration; context: () => CommandContext },
): Command {
  // Subcommands copy the output and exit settings when they are created, so these come first.
  const program = new Command('filecrypt')
    .configureOutput(options.output)
    .exitOverride()
    .description('Authenticated streaming file encryption (AES-256-GCM), with an openssl-compatible mode.')
    .version(options.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', AFTER_HELP);

  program
    .command('enc')
    .summary('encrypt a file, a directory or stdin')
    .description('Encrypt INPUT (a file or a directory; default stdin) to OUTPUT (default stdout).')
    .argument('[INPUT]', 'file or directory to encrypt (default: stdin)')
    .option('-o, --output <OUTPUT>', 'write here instead of stdout, atomically')
    .addOption(force('OUTPUT'))
    .option('--format <FORMAT>', 'native (default) or openssl (no integrity protection)')
    .option('--kdf <KDF>', 'pbkdf2 (default) or scrypt')
    .option('--iter <N>', "PBKDF2's iteration count (default 600000), or scrypt's N with --kdf scrypt (default 131072)")
    .option('-r, --recipient <PUBKEY>', 'encrypt to this X25519 public key (fcpub1…); repeatable', collect)
    .option('-R, --recipients-file <FILE>', 'encrypt to every public key in FILE; repeatable', collect)
    .addOption(passphraseFile())
    .addOption(passphraseFd())
    .addOption(quiet())
    .action(async (input: string | undefined, flags: Flags) => {
      const settings = encSettings(flags);
      const { encCommand } = await import('./commands/enc.js');
      await encCommand(input, settings, options.context());
    });

  program
    .command('dec')
    .summary('decrypt a filecrypt or openssl-format file')
    .description(
      'Decrypt a filecrypt INPUT (default stdin), or with --format openssl an openssl enc file, to OUTPUT ' +
        '(default stdout; a directory for directory archives).',
    )
    .argument('[INPUT]', 'encrypted file (default: stdin)')
    .option('-o, --output <OUTPUT>', 'write here instead of stdout, atomically; a directory for directory archives')
    .addOption(force('OUTPUT'))
    .option('--format <FORMAT>', 'native (default), or openssl for an openssl enc file (no integrity protection)')
    .addOption(keyFile())
    .addOption(passphraseFile())
    .addOption(passphraseFd())
    .option('--iter <N>', 'PBKDF2 iteration count for --format openssl (default 600000)')
    .option('--restore-name', 'write to the original file name, inside the -o directory (default: .)')
    .option('--preserve-permissions', 'keep setuid, setgid and sticky bits from the file (dropped by default)')
    .addOption(allowExpensiveKdf())
    .addOption(quiet())
    .action(async (input: string | undefined, flags: Flags) => {
      const settings = decSettings(flags);
      const { decCommand } = await import('./commands/dec.js');
      await decCommand(input, settings, options.context());
    });

  program
    .command('keygen')
    .summary('create an X25519 key file')
    .description('Create an X25519 key file (mode 0600) and print its public key.')
    .option('-o, --output <KEYFILE>', 'write the key file here (default: print it on stdout)')
    .addOption(force('KEYFILE'))
    .action(async (flags: { output?: string; force?: true }) => {
      const { keygenCommand } = await import('./commands/keygen.js');
      const result = await keygenCommand({ output: flags.output, force: flags.force === true }, options.context());
      outcome.printed = result.keyFileText ?? `${result.publicKey}\n`;
    });

  program
    .command('inspect')
    .summary('show header facts, and with a key the metadata')
    .description('Show the header facts; with a passphrase or key, verify the whole file and show its metadata.')
    .argument('[INPUT]', 'encrypted file (default: stdin)')
    .addOption(keyFile())
    .addOption(passphraseFile())
    .addOption(passphraseFd())
    .addOption(allowExpensiveKdf())
    .action(async (input: string | undefined, flags: Flags) => {
      const settings = inspectSettings(flags);
      const { inspectCommand } = await import('./commands/inspect.js');
      const lines = await inspectCommand(input, settings, options.context());
      outcome.printed = lines.join('\n') + '\n';
    });

  return program;
}

const AFTER_HELP = `
Passphrases come from --passphrase-file, --passphrase-fd, FILECRYPT_PASSPHRASE or a prompt on the terminal.
Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 wrong passphrase or key, 4 integrity failure,
5 not a filecrypt file, 6 file not found, 7 permission denied, 8 output exists, 130/143 interrupted.`;

// Options that several commands share; a fresh Option for each command.
const passphraseFile = () => new Option('--passphrase-file <FILE>', "read the passphrase from FILE's first line");
const passphraseFd = () => new Option('--passphrase-fd <N>', 'read the passphrase from file descriptor N');
const keyFile = () => new Option('-k, --key <KEYFILE>', 'try this X25519 key file; repeatable').argParser(collect);
const force = (what: string) => new Option('--force', `overwrite an existing ${what}`);
const quiet = () => new Option('--quiet', 'no progress bar');
const allowExpensiveKdf = () =>
  new Option(
    '--allow-expensive-kdf',
    "accept a header's KDF work factor over the limits (PBKDF2 10000000 iterations, scrypt 1 GiB or 16x the default work)",
  );

/** For repeatable options: -r A -r B → ['A', 'B']. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
