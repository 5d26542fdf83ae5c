import { Command, Option, type OutputConfiguration } from 'commander';
import { DEFAULT_MAX_WORK_FACTOR } from './age/defaults.js';
import { decSettings, encSettings, inspectSettings, keygenSettings } from './config.js';
import type { Flags } from './flags.js';
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
    .description(
      'Authenticated streaming file encryption: its own format (AES-256-GCM), age v1, and an openssl-compatible mode.',
    )
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
    .option(
      '--format <FORMAT>',
      'native (default), age (age v1; the default when a recipient is age1…) or openssl (no integrity protection)',
    )
    .option('--kdf <KDF>', 'native format: pbkdf2 (default) or scrypt')
    .option(
      '--iter <N>',
      "PBKDF2's iteration count (default 600000); scrypt's N with --kdf scrypt (default 131072); " +
        'with --format age the scrypt work factor log2(N), 10 to 22 (default 18)',
    )
    .option('-a, --armor', 'with --format age: write ASCII armor (-----BEGIN AGE ENCRYPTED FILE-----)')
    .option(
      '-r, --recipient <PUBKEY>',
      'encrypt to this public key (fcpub1…, or age1… for the age format); repeatable',
      collect,
    )
    .option(
      '-R, --recipients-file <FILE>',
      'encrypt to every public key in FILE (one a line, # comments); repeatable',
      collect,
    )
    .addOption(passphraseFile())
    .addOption(passphraseFd())
    .addOption(quiet())
    .action(async (input: string | undefined, flags: Flags) => {
      const settings = encSettings(flags);
      if (settings.output !== undefined) (await import('./parallel/prewarm.js')).prewarmFor(input, settings.output);
      const { encCommand } = await import('./commands/enc.js');
      await encCommand(input, settings, options.context());
    });

  program
    .command('dec')
    .summary('decrypt a filecrypt, age or openssl-format file')
    .description(
      'Decrypt a filecrypt or age INPUT (default stdin; age binary or armored is recognised), or with ' +
        '--format openssl an openssl enc file, to OUTPUT (default stdout; a directory for directory archives).',
    )
    .argument('[INPUT]', 'encrypted file (default: stdin)')
    .option('-o, --output <OUTPUT>', 'write here instead of stdout, atomically; a directory for directory archives')
    .addOption(force('OUTPUT'))
    .option(
      '--format <FORMAT>',
      'native (default: filecrypt or age, recognised), age (only an age file), or openssl for an openssl enc file (no integrity protection)',
    )
    .addOption(keyFile())
    .addOption(identityFile())
    .addOption(passphraseFile())
    .addOption(passphraseFd())
    .option('--iter <N>', 'PBKDF2 iteration count for --format openssl (default 600000)')
    .option('--restore-name', 'write to the original file name, inside the -o directory (default: .)')
    .option('--preserve-permissions', 'keep setuid, setgid and sticky bits from the file (dropped by default)')
    .addOption(allowExpensiveKdf())
    .option(
      '--max-work-factor <N>',
      `age files: accept a scrypt work factor (log2 N) up to N, 1 to 30 (default ${DEFAULT_MAX_WORK_FACTOR}, as age)`,
    )
    .addOption(quiet())
    .action(async (input: string | undefined, flags: Flags) => {
      const settings = decSettings(flags);
      if (settings.output !== undefined) (await import('./parallel/prewarm.js')).prewarmFor(input, settings.output);
      const { decCommand } = await import('./commands/dec.js');
      await decCommand(input, settings, options.context());
    });

  program
    .command('keygen')
    .summary('create a key file, or show the public keys of one')
    .description(
      'Create an X25519 key file (mode 0600; a filecrypt key, or an age identity with --format age) and print its ' +
        'public key; with -y, print the public key of every identity in FILE.',
    )
    .option('-o, --output <KEYFILE>', 'write the key file here (default: print it on stdout)')
    .addOption(force('KEYFILE'))
    .option('--format <FORMAT>', 'native (default: FCSECRET1…) or age (AGE-SECRET-KEY-1…, as age-keygen)')
    .option('--pq', 'an age post-quantum identity (AGE-SECRET-KEY-PQ-1…, as age-keygen -pq)')
    .option('-y, --public-keys <FILE>', 'print the public key of each identity in FILE (filecrypt and age keys)')
    .action(async (flags: Flags) => {
      const settings = keygenSettings(flags);
      const { keygenCommand, publicKeysOf } = await import('./commands/keygen.js');
      if (settings.publicKeysOf !== undefined) {
        outcome.printed = (await publicKeysOf(settings.publicKeysOf)).map((key) => `${key}\n`).join('');
        return;
      }
      const result = await keygenCommand(settings, options.context());
      outcome.printed = result.keyFileText ?? `${result.publicKey}\n`;
    });

  program
    .command('inspect')
    .summary('show header facts, and with a key the metadata')
    .description('Show the header facts; with a passphrase or key, verify the whole file and show its metadata.')
    .argument('[INPUT]', 'encrypted file (default: stdin)')
    .addOption(keyFile())
    .addOption(identityFile())
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
Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 wrong passphrase or key (age: no identity matched),
4 integrity failure, 5 not a filecrypt or age file (or a KDF over the limits), 6 file not found,
7 permission denied, 8 output exists, 130/143 interrupted.`;

// Options that several commands share; a fresh Option for each command.
const passphraseFile = () => new Option('--passphrase-file <FILE>', "read the passphrase from FILE's first line");
const passphraseFd = () => new Option('--passphrase-fd <N>', 'read the passphrase from file descriptor N');
const keyFile = () =>
  new Option('-k, --key <KEYFILE>', 'try the keys in this file (filecrypt and age identities); repeatable').argParser(
    collect,
  );
const identityFile = () =>
  new Option('-i, --identity <KEYFILE>', 'the same as -k (the name age uses); repeatable').argParser(collect);
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
