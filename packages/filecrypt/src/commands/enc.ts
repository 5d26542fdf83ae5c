import type { EncSettings } from '../config.js';
import { ContentKind } from '../format/constants.js';
import { encryptNative, type KeySource } from '../engine/encrypt.js';
import { encryptOpenssl } from '../engine/openssl.js';
import { usage } from '../errors.js';
import { withInput, type Input } from '../io/input.js';
import { AtomicFile } from '../io/output.js';
import { withProgress } from '../io/progress.js';
import type { Sink } from '../io/sink.js';
import type { CommandContext } from './context.js';
import { loadRecipients } from './keys.js';
import { checkOutputPath, stdoutSink } from './output.js';
import { resolvePassphrase } from './passphrase.js';

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

async function encryptInput(
  source: Input,
  input: string | undefined,
  settings: EncSettings,
  context: CommandContext,
): Promise<EncResult> {
  if (source.kind === 'directory' && settings.format === 'openssl') {
    throw usage('directories need the native format (openssl enc has no directory mode)');
  }
  const toFile = settings.output !== undefined && settings.output !== '-';
  checkOutputPath(settings.output, input, settings.force);
  const stdout = toFile ? undefined : stdoutSink(context, 'ciphertext');
  const key = await keySource(settings, context);
  if (settings.format === 'openssl') {
    context.warn('warning: --format openssl has no integrity protection: changes to the file are not detected');
  }

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
    let plaintextBytes: number | undefined;
    if (settings.format === 'openssl') {
      const passphrase = 'passphrase' in key ? key.passphrase : Buffer.alloc(0);
      await encryptOpenssl(chunks, sink, {
        passphrase,
        iterations: settings.opensslIterations,
        ...(context.random ? { random: context.random } : {}),
      });
    } else {
      const result = await encryptNative(chunks, sink, {
        kind: source.kind === 'directory' ? ContentKind.Tar : ContentKind.File,
        key,
        facts: { name: source.name, mtimeMs: source.mtimeMs, mode: source.mode },
        ...(context.random ? { random: context.random } : {}),
      });
      plaintextBytes = result.plaintextBytes;
    }
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

async function keySource(settings: EncSettings, context: CommandContext): Promise<KeySource> {
  if (settings.recipient.length + settings.recipientsFile.length > 0) {
    const recipients = await loadRecipients(settings.recipient, settings.recipientsFile);
    // The header counts stanzas in one byte.
    if (recipients.length > 255) throw usage(`at most 255 recipients, got ${recipients.length}`);
    return { recipients };
  }
  return { passphrase: await resolvePassphrase(settings, context, true), kdf: settings.kdf };
}
