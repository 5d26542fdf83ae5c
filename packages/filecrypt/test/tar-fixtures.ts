import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Header, Pax } from 'tar';
import { encryptNative } from '../src/engine/encrypt.js';
import { ContentKind } from '../src/format/constants.js';

export const ARCHIVE_PASSPHRASE = 'directory passphrase';
export const ARCHIVE_MTIME = new Date('2023-06-07T08:09:10Z');

export interface RawEntry {
  path: string;
  type?: string;
  linkpath?: string;
  data?: string | Buffer;
  mode?: number;
  uid?: number;
  /** Declared size, when it should differ from the data's (a meta entry that claims more). */
  size?: number;
  /** Write a pax header before the entry with these records instead of relying on the ustar fields. */
  pax?: { path?: string; linkpath?: string };
}

/** A tar archive with the given raw entries, as an attacker would write it. */
export function tarOf(entries: RawEntry[], end = true): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    if (entry.pax) blocks.push(new Pax({ ...entry.pax, mtime: ARCHIVE_MTIME }).encode());
    const data = Buffer.from(entry.data ?? '');
    const header = new Header({
      path: entry.path,
      type: (entry.type ?? 'File') as 'File',
      mode: entry.mode ?? 0o644,
      uid: entry.uid ?? 0,
      gid: entry.uid ?? 0,
      size: entry.size ?? data.length,
      mtime: ARCHIVE_MTIME,
      ...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (end) blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Encrypt raw bytes as a directory archive (content kind tar), as filecrypt enc DIR would label them. */
export async function encryptTar(tar: Buffer, path: string): Promise<void> {
  const parts: Buffer[] = [];
  await encryptNative(
    Readable.from([tar]),
    {
      write: (chunks) => Promise.resolve(void parts.push(...chunks.map((c) => Buffer.from(c)))),
      end: () => Promise.resolve(),
    },
    {
      kind: ContentKind.Tar,
      key: { passphrase: Buffer.from(ARCHIVE_PASSPHRASE), kdf: { kdf: 'pbkdf2', iterations: 1000 } },
      facts: {},
    },
  );
  writeFileSync(path, Buffer.concat(parts));
}
