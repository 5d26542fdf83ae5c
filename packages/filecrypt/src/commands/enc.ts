import { encFormatOf, encParameters, type EncSettings } from '../config.js';
import { formatNamed } from '../formats/registry.js';
import { withInput, type Input } from '../io/input.js';
import { AtomicFile } from '../io/output.js';
import { withProgress } from '../io/progress.js';
import type { Sink } from '../io/sink.js';
import type { CommandContext } from './context.js';
import { readRecipients } from './keys.js';
import { checkOutputPath, stdoutSink } from './output.js';

export interface EncResult {
  output: string | undefined;
  plaintextBytes?: number;
}

export async function encCommand(
  input: string | undefined,
  settings: EncSettings,
  context: CommandContext,
): Promise<EncResult> {
  return withInput(input, context.stdin, (source) => encryptInput(source, input, settings, context));
}

/** Checks, then keys or the passphrase, then the output: a refused run costs nothing and leaves nothing. */
async function encryptInput(
  source: Input,
  input: string | undefined,
  settings: EncSettings,
  context: CommandContext,
): Promise<EncResult> {
  const recipients = await readRecipients(settings.recipient, settings.recipientsFile);
  // The age key parser (bech32) is loaded only when there are recipients to tell apart: memory for every other run.
  const isAgeRecipient = recipients.length > 0 ? (await import('../age/keys.js')).isAgeRecipientText : () => false;
  const format = encFormatOf(
    settings,
    recipients.map((recipient) => recipient.text),
    isAgeRecipient,
  );
  const parameters = encParameters(settings, format);
  const toFile = settings.output !== undefined && settings.output !== '-';
  checkOutputPath(settings.output, input, settings.force);
  const stdout = toFile ? undefined : stdoutSink(context, parameters.armor ? 'armored ciphertext' : 'ciphertext');
  const encrypt = await (
    await formatNamed(format)
  ).prepareEncrypt({ source, settings, parameters, recipients }, context);

  const file = toFile
    ? await AtomicFile.create(settings.output!, { force: settings.force, private: false, warn: context.warn })
    : undefined;
  const sink: Sink = file ? file.sink() : stdout!;
  const { chunks, done } = withProgress(source.chunks, source.size, {
    quiet: settings.quiet,
    stderrIsTTY: context.stderrIsTTY,
    write: context.progressWrite,
  });
  try {
    const { plaintextBytes } = await encrypt(chunks, sink);
    await sink.end();
    done();
    const output = file ? await file.commit() : undefined;
    return { output, ...(plaintextBytes === undefined ? {} : { plaintextBytes }) };
  } catch (error) {
    done();
    await file?.abort();
    throw error;
  }
}
