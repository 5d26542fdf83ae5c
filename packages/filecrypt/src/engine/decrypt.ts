import { createHash, timingSafeEqual } from 'node:crypto';
import type { FileKeys } from '../crypto/keys.js';
import { openSegment, segmentKeystream } from '../crypto/segment.js';
import { METADATA_SEGMENT_BYTES, TAG_BYTES } from '../format/constants.js';
import { decodeMetadata, type Metadata } from '../format/metadata.js';
import type { Header } from '../format/header.js';
import { checksumMismatch, corruptSegment, trailingData, truncated } from '../errors.js';
import type { ByteReader } from '../io/reader.js';
import { GarbageBudget } from '../io/memory.js';
import { BatchWriter, type Sink } from '../io/sink.js';
import { openPositional } from './positional.js';

const FINAL = METADATA_SEGMENT_BYTES;

/**
 * Decrypt the payload after an unlocked header. Each segment's tag is checked
 * before its plaintext reaches the sink; the stream must end with the final
 * (metadata) segment exactly, and the plaintext must match its size and hash.
 * A regular file to an AtomicFile goes by offsets on every core when it can
 * (positional.ts); the streaming reader below handles everything else.
 */
export async function decryptPayload(
  reader: ByteReader,
  header: Header,
  keys: FileKeys,
  sink: Sink,
): Promise<Metadata> {
  const fast = await openPositional(reader, header, keys, sink).catch(async (error: unknown) => {
    await reader.close();
    throw error;
  });
  if (fast) {
    await reader.close();
    await sink.end();
    return fast;
  }
  const full = 2 ** header.segmentExponent + TAG_BYTES;
  const open = (index: number, final: boolean, segment: Buffer) =>
    openSegment(keys.payloadKey, header.noncePrefix, index, final, segment);
  const keystream = (index: number) => segmentKeystream(keys.payloadKey, header.noncePrefix, index, true, 12);
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
      if (!plaintext) {
        const extended = findFinal(reader.peek(full + FINAL), { index, skip: -1, size, open, keystream });
        throw extended ? trailingData() : corruptSegment(index);
      }
      reader.skip(full);
      await emit(plaintext);
      index += 1;
    }
    const tail = reader.take(reader.buffered);
    const { data, metadata } = finish(tail, { index, skip: -1, size, open, keystream });
    if (data.length > 0) await emit(data);
    await out.end();
    if (metadata.size !== size) throw checksumMismatch('size');
    // Version 1 metadata carries the plaintext's SHA-256; the stream cannot know the version before the end, so it hashes.
    if (metadata.sha256 && !timingSafeEqual(metadata.sha256, hash.digest())) throw checksumMismatch('SHA-256');
    return metadata;
  } catch (error) {
    await out.settle();
    await reader.close();
    throw error;
  }
}

type Open = (index: number, final: boolean, segment: Buffer) => Buffer | undefined;

/** Where the reader stands: next segment index, plaintext bytes so far, and how to open segments. */
interface Position {
  index: number;
  skip: number;
  size: number;
  open: Open;
  keystream: (index: number) => Buffer;
}

/**
 * The end of the stream: the last data segment (if any) and the final
 * segment. When neither authenticates where the layout says, the boundaries
 * are off: either bytes were appended (a final segment authenticates earlier)
 * or the stream was cut.
 */
function finish(tail: Buffer, at: Position): { data: Buffer; metadata: Metadata } {
  if (tail.length < FINAL) throw truncated();
  const { index, open } = at;
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
  if (findFinal(tail, { ...at, skip: dataLength })) throw trailingData();
  throw truncated();
}

/**
 * Is there an authentic final segment anywhere in this window, after no data
 * segment or after a last data segment of any length? Only on a failure path.
 * A candidate must first decrypt (by keystream, without the tag) to metadata
 * version 1 or 2 with the plaintext size that its position implies; only those
 * few get a full tag check, so a whole segment's worth of positions costs
 * about a millisecond.
 */
function findFinal(window: Buffer, at: Position): boolean {
  const streams = [at.keystream(at.index), at.keystream(at.index + 1)] as const;
  const expected = Buffer.alloc(8);
  for (let q = 0; q + FINAL <= window.length; q = q === 0 ? TAG_BYTES + 1 : q + 1) {
    if (q === at.skip) continue;
    const stream = q === 0 ? streams[0] : streams[1];
    const version = window[q]! ^ stream[0]!;
    if ((version !== 1 && version !== 2) || (window[q + 3]! ^ stream[3]!) !== 0) continue;
    expected.writeBigUInt64BE(BigInt(at.size + (q === 0 ? 0 : q - TAG_BYTES)));
    let sizeMatches = true;
    for (let b = 0; b < 8 && sizeMatches; b += 1) sizeMatches = (window[q + 4 + b]! ^ stream[4 + b]!) === expected[b];
    if (sizeMatches && at.open(q === 0 ? at.index : at.index + 1, true, window.subarray(q, q + FINAL))) return true;
  }
  return false;
}
