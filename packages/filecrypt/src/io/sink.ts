import { once } from 'node:events';
import type { EventEmitter } from 'node:events';

/**
 * Where output bytes go: a temporary file, stdout, or a tar extractor. The
 * chunks passed to write() belong to the caller again once it resolves (the
 * writer reuses them), so a sink that keeps bytes longer must copy them.
 */
export interface Sink {
  write(chunks: Buffer[]): Promise<void>;
  /** Flush and finish; the sink owner still decides whether the result is kept. */
  end(): Promise<void>;
}

/**
 * Copies output into two preallocated 256 KiB buffers and writes them in
 * turn: one is being written while the cipher fills the other, so I/O
 * overlaps the cipher and no more than 512 KiB of output is ever buffered.
 *
 * Copying is what keeps memory flat. Every cipher.update() returns a fresh
 * buffer whose memory lives outside the V8 heap; queued for writing while a
 * slow consumer drains, those buffers survived young-generation collections,
 * were promoted, and then waited for a full collection, which V8 starts only
 * after about 64 MiB more external memory (measured: enc at 125 MiB RSS
 * under a slow reader). Copied at once, each one is garbage immediately.
 */
export class BatchWriter {
  private filling: Buffer;
  /** The buffer of the write in flight, or free. */
  private spare: Buffer;
  private filled = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly sink: Sink,
    batchSize = 256 * 1024,
  ) {
    this.filling = Buffer.allocUnsafe(batchSize);
    this.spare = Buffer.allocUnsafe(batchSize);
  }

  async push(...buffers: Buffer[]): Promise<void> {
    for (const buffer of buffers) {
      let offset = 0;
      while (offset < buffer.length) {
        const copied = buffer.copy(this.filling, this.filled, offset);
        this.filled += copied;
        offset += copied;
        if (this.filled === this.filling.length) await this.flush();
      }
    }
  }

  /** Start writing what is buffered, once the other buffer's write has finished and it can be refilled. */
  async flush(): Promise<void> {
    await this.wait();
    if (this.filled === 0) return;
    const write = this.sink.write([this.filling.subarray(0, this.filled)]);
    // Handled here so that a failure is not reported as unhandled before the next wait() rethrows it.
    write.catch(() => undefined);
    this.inFlight = write;
    [this.filling, this.spare] = [this.spare, this.filling];
    this.filled = 0;
  }

  async end(): Promise<void> {
    await this.flush();
    await this.wait();
    await this.sink.end();
  }

  /** Wait for a write still in flight after a failure, so no rejection goes unhandled. */
  async settle(): Promise<void> {
    await this.wait().catch(() => undefined);
  }

  private async wait(): Promise<void> {
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    await inFlight;
  }
}

/** What streamSink needs: Node's Writable (stdout) and minipass streams (node-tar) both fit. */
export interface WritableLike extends EventEmitter {
  write(chunk: Buffer, callback?: (error?: Error | null) => void): boolean;
  end(): unknown;
}

/**
 * A writable stream with backpressure. A write resolves when the stream is
 * done with the chunk (its callback), not merely when it has room, because
 * the chunk is reused afterwards. `copy` is for consumers that keep chunks
 * beyond that (node-tar's extractor hands them to file streams).
 */
export function streamSink(stream: WritableLike, options: { end: boolean; copy?: boolean }): Sink {
  // A holder, not a `let`: TypeScript cannot see the listener assign it.
  const state: { failure?: Error } = {};
  const onError = (error: Error) => {
    state.failure = error;
  };
  const check = () => {
    if (state.failure) throw state.failure;
  };
  stream.on('error', onError);
  return {
    async write(chunks) {
      check();
      for (const chunk of chunks) {
        if (options.copy) {
          // Wait after each refused write: node-tar adds a listener for every write made while it is backed up.
          if (!stream.write(Buffer.from(chunk))) await once(stream, 'drain');
        } else {
          await new Promise<void>((resolve, reject) => {
            stream.write(chunk, (error) => (error ? reject(error) : resolve()));
          });
        }
        check();
      }
    },
    async end() {
      check();
      if (options.end) {
        const finished = once(stream, 'finish');
        stream.end();
        await finished;
      }
      stream.off('error', onError);
    },
  };
}

/** A sink that drops everything, for `inspect`'s verification pass. */
export function discardSink(): Sink {
  return { write: () => Promise.resolve(), end: () => Promise.resolve() };
}
