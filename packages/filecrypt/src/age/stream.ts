import { ageCorruptChunk, ageEmptyFinalChunk, ageHeaderTruncated, ageTrailingData, ageTruncated } from '../errors.js';
import { GarbageBudget } from '../io/memory.js';
import type { ByteReader } from '../io/reader.js';
import type { BatchWriter } from '../io/sink.js';
import { AGE_CHUNK_BYTES, AGE_FULL_CHUNK_BYTES, AGE_TAG_BYTES, openChunk, sealChunk } from './chunk.js';
import { hkdf } from './kdf.js';

export const AGE_STREAM_NONCE_BYTES = 16;

/** The payload key: HKDF-SHA256(file key, salt = the payload's 16-byte nonce, "payload"). */
export function payloadKey(fileKey: Buffer, nonce: Buffer): Buffer {
  return hkdf(fileKey, nonce, 'payload');
}

/**
 * Write the STREAM payload: the nonce, then 64 KiB chunks, the last one
 * flagged final. One byte of look-ahead (a fill of a chunk plus one) tells
 * whether a full chunk is the last, so an input of an exact multiple of
 * 64 KiB ends with a full final chunk and an empty input is one empty final
 * chunk, as the spec requires.
 */
export async function encryptStream(
  reader: ByteReader,
  out: BatchWriter,
  fileKey: Buffer,
  nonce: Buffer,
): Promise<number> {
  const key = payloadKey(fileKey, nonce);
  const garbage = new GarbageBudget();
  await out.push(nonce);
  let size = 0;
  for (let index = 0; ; index += 1) {
    const available = await reader.fill(AGE_CHUNK_BYTES + 1);
    const final = available <= AGE_CHUNK_BYTES;
    const plaintext = reader.take(final ? available : AGE_CHUNK_BYTES);
    await out.push(...sealChunk(key, index, final, plaintext));
    size += plaintext.length;
    await garbage.add(plaintext.length);
    if (final) return size;
  }
}

/**
 * Read the nonce and the chunks after an authenticated header. A chunk's
 * plaintext reaches `out` only once its tag verified; then the stream must
 * end exactly after the final chunk. A full chunk is tried as a middle chunk
 * first and as the final one second (and the other way round when it is the
 * last thing in the file), as age does, so that a verified final chunk
 * followed by more data is released and then reported as trailing data.
 * Returns the plaintext byte count; `out` is neither flushed nor ended.
 */
export async function decryptStream(reader: ByteReader, out: BatchWriter, fileKey: Buffer): Promise<number> {
  if ((await reader.fill(AGE_STREAM_NONCE_BYTES)) < AGE_STREAM_NONCE_BYTES) throw ageHeaderTruncated();
  const key = payloadKey(fileKey, reader.take(AGE_STREAM_NONCE_BYTES));
  const garbage = new GarbageBudget();
  let size = 0;
  const emit = async (plaintext: Buffer) => {
    size += plaintext.length;
    await out.push(plaintext);
    await garbage.add(plaintext.length);
  };
  for (let index = 0; ; index += 1) {
    const available = await reader.fill(AGE_FULL_CHUNK_BYTES + 1);
    if (available === 0) throw ageTruncated();
    if (available > AGE_FULL_CHUNK_BYTES) {
      const chunk = reader.peek(AGE_FULL_CHUNK_BYTES);
      const middle = openChunk(key, index, false, chunk);
      if (middle) {
        reader.skip(AGE_FULL_CHUNK_BYTES);
        await emit(middle);
        continue;
      }
      const final = openChunk(key, index, true, chunk);
      if (!final) throw ageCorruptChunk(index);
      await emit(final);
      throw ageTrailingData();
    }
    const chunk = reader.take(available);
    const final = openChunk(key, index, true, chunk);
    if (final) {
      if (final.length === 0 && index > 0) throw ageEmptyFinalChunk(index);
      await emit(final);
      return size;
    }
    const middle = available === AGE_FULL_CHUNK_BYTES ? openChunk(key, index, false, chunk) : undefined;
    if (!middle) throw ageCorruptChunk(index);
    await emit(middle);
    throw ageTruncated();
  }
}

/**
 * The plaintext size a payload of this many bytes (nonce included) decrypts
 * to, or undefined when no valid STREAM has that length (no chunk, a chunk
 * shorter than its tag, an empty final chunk after others).
 */
export function plaintextSizeOf(payloadBytes: number): number | undefined {
  const chunkBytes = payloadBytes - AGE_STREAM_NONCE_BYTES;
  if (chunkBytes < AGE_TAG_BYTES) return undefined;
  const full = Math.floor(chunkBytes / AGE_FULL_CHUNK_BYTES);
  const rest = chunkBytes % AGE_FULL_CHUNK_BYTES;
  if (rest === 0) return full * AGE_CHUNK_BYTES;
  if (rest < AGE_TAG_BYTES || (rest === AGE_TAG_BYTES && full > 0)) return undefined;
  return full * AGE_CHUNK_BYTES + rest - AGE_TAG_BYTES;
}
