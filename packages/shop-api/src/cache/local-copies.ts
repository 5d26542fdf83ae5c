/**
 * This instance's copies of shared cache entries, by key, with the catalog version each was computed
 * at: a hit whose version is still current is answered from memory, without fetching the body from
 * Redis again. Bounded by bytes; when full it starts over rather than tracking recency (keys include
 * what shoppers type).
 */
export class LocalCopies {
  private readonly entries = new Map<string, { version: string; body: string }>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  get(key: string, version: string): string | undefined {
    const entry = this.entries.get(key);
    return entry?.version === version ? entry.body : undefined;
  }

  set(key: string, version: string, body: string): void {
    const old = this.entries.get(key);
    if (old !== undefined) this.bytes -= old.body.length;
    if (this.bytes + body.length > this.maxBytes) {
      this.entries.clear();
      this.bytes = 0;
    }
    this.entries.set(key, { version, body });
    this.bytes += body.length;
  }
}
