import { randomBytes } from 'node:crypto';
import { sealAgePositional } from '../engine/age-positional.js';
import { usage } from '../errors.js';
import { ByteReader } from '../io/reader.js';
import { BatchWriter, type Sink } from '../io/sink.js';
import { armorSink } from './armor.js';
import { encodeHeader } from './header.js';
import { AGE_STREAM_NONCE_BYTES, encryptStream } from './stream.js';
import { AGE_FILE_KEY_BYTES, type AgeRecipient } from './types.js';

export interface AgeEncryptOptions {
  recipients: AgeRecipient[];
  armor: boolean;
  /** Injectable for known-answer tests only; production always uses crypto.randomBytes. */
  random?: (n: number) => Buffer;
}

/**
 * An age v1 file: header (every recipient's stanzas, MACed under the file
 * key), then the STREAM payload; optionally armored. Memory stays flat: a
 * 512 KiB read window and the two 256 KiB write buffers.
 */
export async function encryptAge(
  chunks: AsyncIterable<Buffer>,
  sink: Sink,
  options: AgeEncryptOptions,
): Promise<{ plaintextBytes: number }> {
  const { recipients } = options;
  if (recipients.length === 0) throw usage('no age recipient');
  // The spec: an scrypt stanza must be alone, or anyone holding another recipient's key could learn the passphrase's file.
  if (recipients.length > 1 && recipients.some((recipient) => recipient.type === 'scrypt')) {
    throw usage('a passphrase cannot be combined with other recipients in the age format');
  }
  const random = options.random ?? randomBytes;
  const fileKey = random(AGE_FILE_KEY_BYTES);
  const header = encodeHeader(
    recipients.flatMap((recipient) => recipient.wrap(fileKey)),
    fileKey,
  );
  const nonce = random(AGE_STREAM_NONCE_BYTES);
  // A regular file to an AtomicFile: by offsets, on every core (engine/age-positional.ts); same bytes.
  const fast = options.armor ? undefined : await sealAgePositional(chunks, sink, header, fileKey, nonce);
  if (fast !== undefined) return { plaintextBytes: fast };
  const out = new BatchWriter(options.armor ? armorSink(sink) : sink);
  const reader = new ByteReader(chunks);
  try {
    await out.push(header);
    const plaintextBytes = await encryptStream(reader, out, fileKey, nonce);
    await out.end();
    return { plaintextBytes };
  } catch (error) {
    await out.settle();
    await reader.close();
    throw error;
  }
}
