import { openAgePositional } from '../engine/age-positional.js';
import { ageHeader, ageNoMatch, wrongKey } from '../errors.js';
import { ByteReader } from '../io/reader.js';
import { BatchWriter, type Sink } from '../io/sink.js';
import { ARMOR_BEGIN, ARMOR_MAX_WHITESPACE, decodeArmor } from './armor.js';
import { readHeader, verifyHeaderMac, type AgeHeader } from './header.js';
import { ScryptIdentity, SCRYPT_STANZA_TYPE } from './scrypt.js';
import { decryptStream, plaintextSizeOf } from './stream.js';
import { AGE_FILE_KEY_BYTES, type AgeIdentity } from './types.js';

const BINARY_START = 'age-encryption.org/';
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/**
 * How many bytes of the file sniffAge needs to decide (fewer when the file is
 * shorter): armor may follow up to 1024 bytes of whitespace, as age allows.
 */
export const AGE_SNIFF_BYTES = ARMOR_MAX_WHITESPACE + ARMOR_BEGIN.length;

/** 'binary' for an age header, 'armored' for age's ASCII armor, undefined for anything else. */
export function sniffAge(head: Buffer): 'binary' | 'armored' | undefined {
  if (head.subarray(0, BINARY_START.length).toString('latin1') === BINARY_START) return 'binary';
  let at = 0;
  while (at < head.length && at < ARMOR_MAX_WHITESPACE && SPACE.has(head[at]!)) at += 1;
  return head.subarray(at, at + ARMOR_BEGIN.length).toString('latin1') === ARMOR_BEGIN ? 'armored' : undefined;
}

export interface AgeDecryptOptions {
  /** Force binary or armored reading (test vectors say which); by default the file's start decides. */
  armored?: boolean;
}

/**
 * Decrypt an age file, binary or armored, to `sink`. Order as in age: parse
 * the whole header strictly, unwrap the file key with the first identity that
 * can, check the header MAC, then the payload. Chunk plaintext reaches the
 * sink only once verified; on a payload failure what verified is flushed to
 * the sink before the error is thrown (the sink is not ended).
 */
export async function decryptAge(
  reader: ByteReader,
  sink: Sink,
  identities: readonly AgeIdentity[],
  options: AgeDecryptOptions = {},
): Promise<{ plaintextBytes: number }> {
  const { source } = await openAge(reader, options.armored);
  let out: BatchWriter | undefined;
  try {
    const header = await readHeader(source);
    const fileKey = await unwrapFileKey(header, identities);
    verifyHeaderMac(header, fileKey);
    // A binary file to an AtomicFile: by offsets, on every core (engine/age-positional.ts), unless it fails.
    const fast = source === reader ? await openAgePositional(source, fileKey, sink) : undefined;
    if (fast !== undefined) return { plaintextBytes: fast };
    out = new BatchWriter(sink);
    const plaintextBytes = await decryptStream(source, out, fileKey);
    await out.end();
    return { plaintextBytes };
  } catch (error) {
    if (out) {
      await out.flush().catch(() => undefined);
      await out.settle();
    }
    await source.close();
    throw error;
  }
}

/**
 * What can be told without a key: armored or not, the stanza types in order,
 * the payload's size (nonce and chunks, after the armor is removed) and the
 * plaintext size that a valid STREAM of that length holds.
 */
export async function inspectAge(reader: ByteReader): Promise<{
  armored: boolean;
  stanzaTypes: string[];
  payloadBytes: number;
  plaintextBytes: number | undefined;
}> {
  const { source, armored } = await openAge(reader, undefined);
  try {
    const header = await readHeader(source);
    let payloadBytes = 0;
    for (;;) {
      const buffered = await source.fill(64 * 1024);
      if (buffered === 0) break;
      source.skip(buffered);
      payloadBytes += buffered;
    }
    return {
      armored,
      stanzaTypes: header.stanzas.map((stanza) => stanza.type),
      payloadBytes,
      plaintextBytes: plaintextSizeOf(payloadBytes),
    };
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** The binary age file: `reader` itself, or a reader over its decoded armor. */
async function openAge(
  reader: ByteReader,
  armored: boolean | undefined,
): Promise<{ source: ByteReader; armored: boolean }> {
  await reader.fill(AGE_SNIFF_BYTES);
  const isArmored = armored ?? sniffAge(reader.peek(Math.min(reader.buffered, AGE_SNIFF_BYTES))) === 'armored';
  return { source: isArmored ? new ByteReader(decodeArmor(chunksOf(reader))) : reader, armored: isArmored };
}

/** A ByteReader's remaining bytes as chunks; each is valid until the next one is asked for. */
async function* chunksOf(reader: ByteReader): AsyncGenerator<Buffer> {
  try {
    for (;;) {
      const buffered = await reader.fill(64 * 1024);
      if (buffered === 0) return;
      yield reader.take(buffered);
    }
  } finally {
    await reader.close();
  }
}

async function unwrapFileKey(header: AgeHeader, identities: readonly AgeIdentity[]): Promise<Buffer> {
  for (const identity of identities) {
    const fileKey = await identity.unwrap(header.stanzas);
    if (!fileKey) continue;
    if (fileKey.length !== AGE_FILE_KEY_BYTES) throw ageHeader(`a stanza wraps a file key of ${fileKey.length} bytes`);
    return fileKey;
  }
  // A passphrase that does not open the scrypt stanza is a wrong passphrase, the message filecrypt gives for its own format.
  const passphraseTried =
    header.stanzas[0]?.type === SCRYPT_STANZA_TYPE && identities.some((identity) => identity instanceof ScryptIdentity);
  throw passphraseTried ? wrongKey() : ageNoMatch();
}
