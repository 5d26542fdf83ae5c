import { createHash, randomBytes } from 'node:crypto';
import { deriveFileKeys, headerMac } from '../crypto/keys.js';
import { passphraseStanza, type KdfChoice } from '../crypto/passphrase.js';
import { sealSegment } from '../crypto/segment.js';
import { x25519Stanza } from '../crypto/x25519.js';
import { DEFAULT_SEGMENT_EXPONENT, FILE_KEY_BYTES, NONCE_PREFIX_BYTES, type ContentKind } from '../format/constants.js';
import { encodeHeaderBody, type Header, type Stanza } from '../format/header.js';
import { encodeMetadata } from '../format/metadata.js';
import { ByteReader } from '../io/reader.js';
import { GarbageBudget } from '../io/memory.js';
import { BatchWriter, type Sink } from '../io/sink.js';
import { positionalPair, sealPositional } from './positional.js';

export type KeySource = { passphrase: Buffer; kdf: KdfChoice } | { recipients: Buffer[] };

export interface EncryptOptions {
  kind: ContentKind;
  key: KeySource;
  /** Facts about the input for the metadata segment; size and SHA-256 are measured here. */
  facts: { name?: string | undefined; mtimeMs?: number | undefined; mode?: number | undefined };
  /** Write metadata version 1 with the plaintext's SHA-256 (known-answer vectors of the old layout only). */
  legacySha256?: boolean;
  /** Injectable for known-answer vectors only; production always uses crypto.randomBytes. */
  random?: (size: number) => Buffer;
  segmentExponent?: number;
}

export interface EncryptResult {
  header: Header;
  plaintextBytes: number;
  segments: number;
}

/**
 * Native format v1: header ‖ MAC ‖ data segments ‖ metadata segment (final).
 * Every data segment is a full segment except possibly the last one, so the
 * writer never needs to look ahead; the fixed-size final segment tells the
 * reader where the data ends. A regular file to an AtomicFile is encrypted
 * by offsets on every core (positional.ts); anything else streams. Both
 * write the same bytes.
 */
export async function encryptNative(
  chunks: AsyncIterable<Buffer>,
  sink: Sink,
  options: EncryptOptions,
): Promise<EncryptResult> {
  const random = options.random ?? randomBytes;
  const segmentExponent = options.segmentExponent ?? DEFAULT_SEGMENT_EXPONENT;
  const segmentSize = 2 ** segmentExponent;
  const fileKey = random(FILE_KEY_BYTES);
  const noncePrefix = random(NONCE_PREFIX_BYTES);
  const stanzas: Stanza[] =
    'passphrase' in options.key
      ? [await passphraseStanza(options.key.passphrase, fileKey, options.key.kdf, random)]
      : options.key.recipients.map((recipient) => x25519Stanza(recipient, fileKey, random));
  const header: Header = { kind: options.kind, segmentExponent, noncePrefix, stanzas };
  const body = encodeHeaderBody(header);
  const { payloadKey, macKey } = deriveFileKeys(fileKey);

  const metadata = (size: number, sha256?: Buffer) =>
    encodeMetadata({
      ...(options.facts.name ? { name: options.facts.name } : {}),
      size,
      mtimeMs: options.facts.mtimeMs ?? 0,
      mode: options.facts.mode ?? 0,
      ...(sha256 ? { sha256 } : {}),
    });
  const positional = options.legacySha256 ? undefined : positionalPair(chunks, sink);
  if (positional) {
    const head = [body, headerMac(macKey, body)];
    const keys = { payloadKey, macKey };
    const label = 'input';
    return { header, ...(await sealPositional(positional, { head, keys, header, metadata, label })) };
  }

  const out = new BatchWriter(sink);
  const reader = new ByteReader(chunks);
  const hash = options.legacySha256 ? createHash('sha256') : undefined;
  const garbage = new GarbageBudget();
  let size = 0;
  let index = 0;
  try {
    await out.push(body, headerMac(macKey, body));
    for (;;) {
      const plaintext = await reader.read(segmentSize);
      if (plaintext.length === 0) break;
      hash?.update(plaintext);
      size += plaintext.length;
      await out.push(...sealSegment(payloadKey, noncePrefix, index, false, plaintext));
      index += 1;
      await garbage.add(plaintext.length);
      if (plaintext.length < segmentSize) break;
    }
    await out.push(...sealSegment(payloadKey, noncePrefix, index, true, metadata(size, hash?.digest())));
    await out.end();
  } catch (error) {
    await out.settle();
    await reader.close();
    throw error;
  }
  return { header, plaintextBytes: size, segments: index + 1 };
}
