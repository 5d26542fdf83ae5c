import type { Writable } from 'node:stream';

/**
 * One client's output: lines wait here until the scheduler flushes them in a
 * single write per event-loop turn. What counts against the limit is what
 * waits here plus what the socket has not yet handed to the kernel.
 */
export class SendQueue {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly socket: Writable,
    private readonly limitBytes: number,
  ) {}

  /** Queue bytes; false (and the queue emptied) when the client is over its limit. */
  push(bytes: Buffer): boolean {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes + this.socket.writableLength <= this.limitBytes) return true;
    this.pending = [];
    this.pendingBytes = 0;
    return false;
  }

  flush(): void {
    if (this.pending.length === 0 || this.socket.destroyed) return;
    const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.socket.write(data);
  }
}
