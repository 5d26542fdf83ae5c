import { positionalSource, type PositionalSource } from './positional.js';

/**
 * Pulls chunks from any async source and hands out exact byte counts from
 * one window buffer that it owns and reuses. Every chunk is copied in as soon
 * as it arrives, so the source may reuse its buffers (readChunks does) and
 * no chunk outlives the moment it was read: a chunk kept by the reader while
 * it waited would survive young-generation collections and pin its memory
 * until a full one (see BatchWriter). The views returned by peek(), take() and
 * read() are valid only until the next fill() or read(); copy what must last.
 */
export class ByteReader {
  private window: Buffer;
  private start = 0;
  private end = 0;
  /** The part of the last chunk that did not fit in the window yet. */
  private pending: Buffer | undefined;
  private ended = false;
  private readonly source: AsyncIterator<Buffer>;
  /** Bytes consumed so far: where the next unread byte sits in a file source. */
  private taken = 0;
  /** The source's file, when it is one that can be read at offsets (io/positional.ts). */
  readonly positional: PositionalSource | undefined;

  constructor(source: AsyncIterable<Buffer>, capacity = 512 * 1024) {
    this.positional = positionalSource(source);
    this.source = source[Symbol.asyncIterator]();
    this.window = Buffer.allocUnsafe(capacity);
  }

  get consumed(): number {
    return this.taken;
  }

  get buffered(): number {
    return this.end - this.start;
  }

  /** True once the source is exhausted; what is buffered is then all there is. */
  get done(): boolean {
    return this.ended && !this.pending;
  }

  /** Buffer at least `size` bytes, or everything left; returns the buffered count. */
  async fill(size: number): Promise<number> {
    while (this.buffered < size) {
      if (!this.pending) {
        if (this.ended) break;
        const next = await this.source.next();
        if (next.done) {
          this.ended = true;
          break;
        }
        if (next.value.length === 0) continue;
        this.pending = next.value;
      }
      this.copyIn(size);
    }
    return this.buffered;
  }

  /** Up to `size` bytes (fewer only at the end of the source). */
  async read(size: number): Promise<Buffer> {
    await this.fill(size);
    return this.take(Math.min(size, this.buffered));
  }

  /** The first `size` buffered bytes, without consuming them. */
  peek(size: number): Buffer {
    if (size > this.buffered) throw new RangeError('peek past buffered data');
    return this.window.subarray(this.start, this.start + size);
  }

  /** Consume exactly `size` buffered bytes. */
  take(size: number): Buffer {
    const view = this.peek(size);
    this.skip(size);
    return view;
  }

  skip(size: number): void {
    if (size > this.buffered) throw new RangeError('skip past buffered data');
    this.start += size;
    this.taken += size;
  }

  /** Stop the source early (on error), so that a file handle is closed. */
  async close(): Promise<void> {
    this.pending = undefined;
    await this.source.return?.();
  }

  /** Copy as much of the pending chunk as fits, first making room for `size` bytes from `start`. */
  private copyIn(size: number): void {
    const buffered = this.buffered;
    if (size > this.window.length) {
      const larger = Buffer.allocUnsafe(size);
      this.window.copy(larger, 0, this.start, this.end);
      this.window = larger;
      this.start = 0;
      this.end = buffered;
    } else if (this.start + size > this.window.length || this.end === this.window.length) {
      this.window.copyWithin(0, this.start, this.end);
      this.start = 0;
      this.end = buffered;
    }
    const pending = this.pending!;
    const copied = pending.copy(this.window, this.end);
    this.end += copied;
    this.pending = copied < pending.length ? pending.subarray(copied) : undefined;
  }
}
