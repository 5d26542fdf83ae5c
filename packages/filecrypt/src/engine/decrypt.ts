import { createHash, timingSafeEqual } from 'node:crypto';
import type { FileKeys } from '../crypto/keys.js';
import { openSegment } from '../crypto/segment.js';
import { METADATA_SEGMENT_BYTES, TAG_BYTES } from '../format/constants.js';
import { decodeMetadata, type Metadata } from '../format/metadata.js';
import type { Header } from '../format/header.js';
import { checksumMismatch, corruptSegment, trailingData, truncated } from '../errors.js';
import type { ByteReader } from '../io/reader.js';
import { GarbageBudget } from '../io/memory.js';
import { BatchWriter, type Sink } from '../io/sink.js';

const FINAL = METADATA_SEGMENT_BYTES;

/**
 * Decrypt the payload after an unlocked header. Each segment's tag is checked
 * before its plaintext reaches the sink; the stream must end with the final
 * (metadata) segment exactly, and the plaintext must match its size and hash.
 */
export async function decryptPayload(
  reader: ByteReader,
  header: Header,
  keys: FileKeys,
  sink: Sink,
): Promise<Metadata> {
  const full = 2 ** header.segmentExponent + TAG_BYTES;
  const open = (index: number, final: boolean, segment: Buffer) =>
    openSegment(keys.payloadKey, header.noncePrefix, index, final, segment);
  const out = new BatchWriter(sink);
  const hash = createHash('sha256');
  const garbage = new GarbageBudget();
  let size = 0;
  let index = 0;
  const emit = async (plaintext: Buffer) => {
    hash.update(plaintext);
    size += plaintext.length;
    await garbage.add(plaintext.length);
    await out.push(plaintext);
  };
  try {
    // While more than a full segment plus the final one is buffered, the next full segment cannot be the last.
    while ((await reader.fill(full + FINAL + 1)) > full + FINAL) {
      const plaintext = open(index, false, reader.peek(full));
      if (!plaintext)
        throw findFinal(reader.peek(full + FINAL), index, -1, open) ? trailingData() : corruptSegment(index);
      reader.skip(full);
      await emit(plaintext);
      index += 1;
    }
    const tail = reader.take(reader.buffered);
    const { data, metadata } = finish(tail, index, open);
    if (data.length > 0) await emit(data);
    await out.end();
    if (metadata.size !== size) throw checksumMismatch('size');
    if (!timingSafeEqual(metadata.sha256, hash.digest())) throw checksumMismatch('SHA-256');
    return metadata;
  } catch (error) {
    await out.settle();
    await reader.close();
    throw error;
  }
}

type Open = (index: number, final: boolean, segment: Buffer) => Buffer | undefined;

/**
 * The end of the stream: the last data segment (if any) and the final
 * segment. When neither authenticates where the layout says, the boundaries
 * are off: either bytes were appended (a final segment authenticates earlier)
 * or the stream was cut.
 */
function finish(tail: Buffer, index: number, open: Open): { data: Buffer; metadata: Metadata } {
  if (tail.length < FINAL) throw truncated();
  const dataLength = tail.length - FINAL;
  const data =
    dataLength === 0
      ? Buffer.alloc(0)
      : dataLength > TAG_BYTES
        ? open(index, false, tail.subarray(0, dataLength))
        : undefined;
  const finalIndex = dataLength === 0 ? index : index + 1;
  const metadata = open(finalIndex, true, tail.subarray(dataLength));
  if (data && metadata) return { data, metadata: decodeMetadata(metadata) };
  if (metadata) throw corruptSegment(index);
  if (data) throw corruptSegment(finalIndex);
  if (findFinal(tail, index, dataLength, open)) throw trailingData();
  throw truncated();
}

/**
 * Is there an authentic final segment anywhere in this window (after no data
 * segment, or after a last data segment of any length)? At most one segment's
 * worth of small trial decryptions, and only on a failure path.
 */
function findFinal(window: Buffer, index: number, skip: number, open: Open): boolean {
  for (let at = 0; at + FINAL <= window.length; at = at === 0 ? TAG_BYTES + 1 : at + 1) {
    if (at === skip) continue;
    if (open(at === 0 ? index : index + 1, true, window.subarray(at, at + FINAL))) return true;
  }
  return false;
}
