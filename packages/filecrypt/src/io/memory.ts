import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major' }) => void;
let collect: Collect | undefined;

/**
 * Every segment's cipher output is a fresh buffer (Node has no update-into-
 * a-buffer API), and V8 collects external memory only after it has grown by
 * about 64 MiB, so a long stream would sit near 120 MiB resident. A
 * young-generation collection every 512 KiB keeps it flat (measured: about
 * 58 MiB peak for 1 GiB through enc or dec) and costs a fraction of a
 * millisecond each. Short-lived buffers die young, so minor collections
 * suffice. `gc` comes from --expose-gc set at run time, read in a new context.
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
