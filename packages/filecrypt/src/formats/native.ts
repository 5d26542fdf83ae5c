import { ContentKind, StanzaType } from '../format/constants.js';
import { decryptPayload } from '../engine/decrypt.js';
import { encryptNative, type KeySource } from '../engine/encrypt.js';
import { readHeader, unlockHeader } from '../engine/header.js';
import { usage, wrongKey } from '../errors.js';
import type { CommandContext } from '../commands/context.js';
import { parseNativeRecipients, readKeyFiles } from '../commands/keys.js';
import { resolvePassphrase } from '../commands/passphrase.js';
import type { EncryptJob, FileFormat } from './format.js';
import { inspectNative } from './native-inspect.js';

/** filecrypt's own format (docs/filecrypt-format.md): the engine does the work, this adapter supplies keys. */
export const nativeFormat: FileFormat = {
  async prepareEncrypt(job, context) {
    const key = await keySource(job, context);
    const { source } = job;
    return (chunks, sink) =>
      encryptNative(chunks, sink, {
        kind: source.kind === 'directory' ? ContentKind.Tar : ContentKind.File,
        key,
        facts: { name: source.name, mtimeMs: source.mtimeMs, mode: source.mode },
        ...(context.random ? { random: context.random } : {}),
      });
  },

  async open(reader, settings, context) {
    const parsed = await readHeader(reader);
    const identities = (await readKeyFiles(settings.key)).flatMap((file) => file.native);
    // Key files of other kinds only (age identities) cannot open a native file: a wrong key, not a missing one.
    if (settings.key.length > 0 && identities.length === 0 && parsed.header.stanzas[0]?.type === StanzaType.X25519) {
      throw wrongKey();
    }
    const keys = await unlockHeader(
      parsed,
      { passphrase: () => resolvePassphrase(settings, context, false), identities },
      context.limits ?? settings.kdfLimits,
    );
    return {
      tar: parsed.header.kind === ContentKind.Tar,
      decrypt: (sink) => decryptPayload(reader, parsed.header, keys, sink),
    };
  },

  inspect: inspectNative,
};

async function keySource(
  { settings, parameters, recipients }: EncryptJob,
  context: CommandContext,
): Promise<KeySource> {
  if (recipients.length > 0) {
    // The header counts stanzas in one byte.
    if (recipients.length > 255) throw usage(`at most 255 recipients, got ${recipients.length}`);
    return { recipients: parseNativeRecipients(recipients) };
  }
  return { passphrase: await resolvePassphrase(settings, context, true), kdf: parameters.kdf };
}
