import { Header, Pax, type HeaderData } from 'tar';
import { unsafeArchive } from '../errors.js';

/** One entry of a tar stream, with its pax and GNU long-name records applied. */
export interface TarEntry {
  path: string;
  type: string;
  mode: number;
  size: number;
  mtime: Date | undefined;
  linkpath: string | undefined;
}

export interface TarHandler {
  entry(entry: TarEntry): void;
  data(chunk: Buffer): void;
  entryEnd(): void;
}

const BLOCK = 512;
/** Pax and long-name records are held in memory whole; like node-tar, at most 1 MiB each. */
export const MAX_META_BYTES = 1024 * 1024;
const META_TYPES = new Set([
  'ExtendedHeader',
  'GlobalExtendedHeader',
  'NextFileHasLongPath',
  'OldGnuLongPath',
  'NextFileHasLongLinkpath',
]);

/**
 * A tar reader that is pushed bytes and calls its handler synchronously, in
 * order, so that the caller's writes happen before the next chunk is read
 * (backpressure without queues). Only plain tar is read: node-tar's Parser
 * would gunzip, unzstd or unbrotli a stream by sniffing it, which an archive
 * that filecrypt wrote never needs. Headers are decoded by node-tar's Header
 * and Pax; everything else (what to do with an entry) is the handler's.
 */
export class TarReader {
  private state: 'header' | 'body' | 'meta' | 'padding' | 'done' = 'header';
  /** Bytes of a header block or of a meta record, gathered across chunks. */
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private remaining = 0;
  private padding = 0;
  private metaType = '';
  private extended: HeaderData | undefined;
  private nullBlocks = 0;
  private entries = 0;

  constructor(private readonly handler: TarHandler) {}

  write(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.state !== 'done') {
      const available = chunk.length - offset;
      if (this.state === 'header') {
        const take = Math.min(BLOCK - this.gatheredBytes, available);
        this.gather(chunk.subarray(offset, offset + take));
        offset += take;
        if (this.gatheredBytes === BLOCK) this.header(this.takeGathered());
      } else if (this.state === 'body') {
        const take = Math.min(this.remaining, available);
        this.handler.data(chunk.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          this.handler.entryEnd();
          this.state = 'padding';
        }
      } else if (this.state === 'meta') {
        const take = Math.min(this.remaining, available);
        this.gather(chunk.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          this.meta(this.takeGathered());
          this.state = 'padding';
        }
      } else {
        const take = Math.min(this.padding, available);
        offset += take;
        this.padding -= take;
      }
      if (this.state === 'padding' && this.padding === 0) this.state = 'header';
    }
  }

  /** The stream ended: it must not stop inside an entry. */
  end(): void {
    if (this.state === 'done' || (this.state === 'header' && this.gatheredBytes === 0 && this.entries > 0)) return;
    throw unsafeArchive(
      this.entries === 0 ? 'refusing archive: not a plain tar stream' : 'refusing archive: it ends inside an entry',
    );
  }

  private header(block: Buffer): void {
    if (block.every((byte) => byte === 0)) {
      // Two zero blocks end the archive; what follows (padding to a record size) is ignored.
      this.nullBlocks += 1;
      if (this.nullBlocks === 2) this.state = 'done';
      return;
    }
    this.nullBlocks = 0;
    const header = new Header(block, 0, this.extended);
    if (!header.cksumValid) throw unsafeArchive('refusing archive: not a plain tar stream');
    if (!header.path) throw unsafeArchive('refusing archive entry with an empty path');
    const size = header.size ?? 0;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.remaining = size;
    this.entries += 1;
    if (META_TYPES.has(header.type)) {
      if (size > MAX_META_BYTES) {
        throw unsafeArchive(`refusing archive: an extended header of ${size} bytes (the limit is ${MAX_META_BYTES})`);
      }
      this.metaType = header.type;
      this.state = size > 0 ? 'meta' : 'padding';
      if (size === 0) this.meta(Buffer.alloc(0));
      return;
    }
    // Header puts a ustar prefix in front of a pax path; the pax record is the whole path (as node-tar's ReadEntry has it).
    const { path = header.path, linkpath = header.linkpath } = this.extended ?? {};
    this.extended = undefined;
    this.handler.entry({ path, type: header.type, mode: header.mode ?? 0, size, mtime: header.mtime, linkpath });
    if (size > 0) {
      this.state = 'body';
    } else {
      this.handler.entryEnd();
      this.state = 'padding';
    }
  }

  private meta(body: Buffer): void {
    const text = body.toString('utf8');
    // Global records (git archive's comment, say) are ignored: one record must not restyle every later entry.
    if (this.metaType === 'GlobalExtendedHeader') return;
    if (this.metaType === 'ExtendedHeader') this.extended = Pax.parse(text, this.extended, false);
    else {
      const value = text.replace(/\0.*/s, '');
      const field = this.metaType === 'NextFileHasLongLinkpath' ? 'linkpath' : 'path';
      this.extended = { ...this.extended, [field]: value };
    }
  }

  private gather(bytes: Buffer): void {
    this.gathered.push(Buffer.from(bytes));
    this.gatheredBytes += bytes.length;
  }

  private takeGathered(): Buffer {
    const all = Buffer.concat(this.gathered);
    this.gathered = [];
    this.gatheredBytes = 0;
    return all;
  }
}
