import { decryptAge, inspectAge } from '../age/decrypt.js';
import { encryptAge } from '../age/encrypt.js';
import { parseIdentities, parseRecipient } from '../age/keys.js';
import { scryptIdentity, scryptRecipient } from '../age/scrypt.js';
import type { AgeIdentity, AgeRecipient } from '../age/types.js';
import { usage } from '../errors.js';
import type { CommandContext } from '../commands/context.js';
import { readKeyFiles } from '../commands/keys.js';
import { resolvePassphrase } from '../commands/passphrase.js';
import type { EncryptJob, FileFormat } from './format.js';

/** mlkem768x25519.ts's stanza type, spelled here: importing that module loads ML-KEM, which only PQ runs may pay for. */
const PQ_STANZA_TYPE = 'mlkem768x25519';

/**
 * age v1 (age-encryption.org/v1): the library in src/age does the format;
 * this adapter turns flags into age recipients and identities. A directory
 * is its tar stream, as in the native format, so `age -d` gives a tar file.
 */
export const ageFormat: FileFormat = {
  async prepareEncrypt(job, context) {
    const recipients = await ageRecipients(job, context);
    const random = context.random;
    return (chunks, sink) =>
      encryptAge(chunks, sink, { recipients, armor: job.parameters.armor, ...(random ? { random } : {}) });
  },

  async open(reader, settings, context) {
    // Before any key or passphrase: an age file has no stored name to restore.
    if (settings.restoreName) throw usage('--restore-name needs the native format; age files store no name');
    const identities: AgeIdentity[] = [];
    for (const file of await readKeyFiles(settings.key)) {
      if (file.ageText !== undefined) identities.push(...(await parseIdentities(file.ageText, file.path)));
    }
    // Last, and asked for its passphrase only by a scrypt stanza, after the work factor has been checked.
    identities.push(scryptIdentity(() => resolvePassphrase(settings, context, false), settings.maxWorkFactor));
    return {
      tar: false,
      decrypt: async (sink) => {
        await decryptAge(reader, sink, identities);
        return undefined;
      },
    };
  },

  async inspect(reader) {
    const facts = await inspectAge(reader);
    return [
      'format: age (age-encryption.org/v1, ChaCha20-Poly1305 STREAM)',
      `armored: ${facts.armored ? 'yes' : 'no'}`,
      `stanzas: ${facts.stanzaTypes.join(', ')}`,
      `payload bytes: ${facts.payloadBytes}`,
      ...(facts.plaintextBytes === undefined
        ? []
        : [`plaintext size: ${facts.plaintextBytes} bytes (from the payload size)`]),
    ];
  },
};

async function ageRecipients(
  { settings, parameters, recipients }: EncryptJob,
  context: CommandContext,
): Promise<AgeRecipient[]> {
  if (recipients.length > 0) {
    const parsed = await Promise.all(recipients.map(({ text, where }) => parseRecipient(text, where)));
    // As age 1.3: a classic stanza beside a post-quantum one would let a quantum attacker in through it.
    if (parsed.some((r) => r.type === PQ_STANZA_TYPE) && parsed.some((r) => r.type !== PQ_STANZA_TYPE)) {
      throw usage(
        'post-quantum recipients (age1pq1…) cannot be mixed with X25519 ones: those would undo the protection',
      );
    }
    return parsed;
  }
  const passphrase = await resolvePassphrase(settings, context, true);
  return [scryptRecipient(passphrase, parameters.ageWorkFactor, context.random)];
}
