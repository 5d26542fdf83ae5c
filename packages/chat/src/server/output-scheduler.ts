/**
 * Coalesces output: connections append lines to their own pending buffer and
 * are written once per event-loop turn. One `socket.write` per socket per tick
 * instead of one per line is what keeps fan-out to 1000 clients fast.
 */
export interface Flushable {
  flush(): void;
}

export class OutputScheduler {
  private dirty = new Set<Flushable>();
  private scheduled = false;

  mark(target: Flushable): void {
    this.dirty.add(target);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flushAll());
  }

  flushAll(): void {
    this.scheduled = false;
    const targets = this.dirty;
    this.dirty = new Set();
    for (const target of targets) target.flush();
  }
}
