/**
 * Pulls chunks from any async source and hands out exact byte counts. A
 * request that falls inside one chunk is a zero-copy view; only requests that
 * straddle chunks are copied.
 */
export class ByteReader {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  private readonly source: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.source = source[Symbol.asyncIterator]();
  }

  get buffered(): number {
    return this.length;
  }

  /** True once the source is exhausted; what is buffered is then all there is. */
  get done(): boolean {
    return this.ended;
  }

  /** Buffer at least `size` bytes, or everything left; returns the buffered count. */
  async fill(size: number): Promise<number> {
    while (this.length < size && !this.ended) {
      const next = await this.source.next();
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.chunks.push(next.value);
        this.length += next.value.length;
      }
    }
    return this.length;
  }

  /** Up to `size` bytes (fewer only at the end of the source). */
  async read(size: number): Promise<Buffer> {
    await this.fill(size);
    return this.take(Math.min(size, this.length));
  }

  /**
   * The first `size` buffered bytes as one buffer, without consuming them.
   * Only the requested bytes are copied when they straddle chunks.
   */
  peek(size: number): Buffer {
    if (size > this.length) throw new RangeError('peek past buffered data');
    const first = this.chunks[0];
    if (first && first.length >= size) return first.subarray(0, size);
    const joined = Buffer.allocUnsafe(size);
    let copied = 0;
    let whole = 0;
    while (copied < size) {
      const chunk = this.chunks[whole]!;
      const part = Math.min(chunk.length, size - copied);
      chunk.copy(joined, copied, 0, part);
      copied += part;
      if (part < chunk.length) this.chunks[whole] = chunk.subarray(part);
      else whole += 1;
    }
    this.chunks.splice(0, whole, joined);
    return joined;
  }

  /** Consume exactly `size` buffered bytes. */
  take(size: number): Buffer {
    const view = this.peek(size);
    this.skip(size);
    return view;
  }

  skip(size: number): void {
    let left = size;
    while (left > 0) {
      const first = this.chunks[0]!;
      if (first.length <= left) {
        this.chunks.shift();
        left -= first.length;
      } else {
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.length -= size;
  }

  /** Stop the source early (on error), so that a file handle is closed. */
  async close(): Promise<void> {
    await this.source.return?.();
  }
}
