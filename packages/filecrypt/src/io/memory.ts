import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major' }) => void;
let collect: Collect | undefined;

/**
 * Every segment's cipher output is a fresh buffer (Node has no update-into-
 * a-buffer API) whose memory lives outside the V8 heap, and V8 collects
 * external memory only after it has grown by about 64 MiB: without help, a
 * long stream sits at 73-91 MiB resident. A young-generation collection every
 * 512 KiB frees them, at a fraction of a millisecond each, but only because
 * none of them lives past the step that made it: BatchWriter and ByteReader
 * copy into buffers they reuse. A buffer kept longer (queued for a slow
 * consumer, say) survives two such collections, is promoted, and waits for a
 * full one; that is how enc once reached 125 MiB. `gc` comes from
 * --expose-gc set at run time, read in a new context.
 */
export class GarbageBudget {
  private since = 0;

  constructor(private readonly every = 512 * 1024) {}

  /**
   * Count bytes; every 512 KiB collect, then yield one turn of the event loop
   * so that the native cipher contexts' weak callbacks (run as tasks) can free
   * them even when the source never waits for I/O.
   */
  async add(bytes: number): Promise<void> {
    this.since += bytes;
    if (this.since < this.every) return;
    this.since = 0;
    collector()({ type: 'minor' });
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function collector(): Collect {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  return collect;
}
