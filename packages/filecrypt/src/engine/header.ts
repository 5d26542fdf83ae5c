import { deriveFileKeys, headerMacMatches, type FileKeys } from '../crypto/keys.js';
import { checkKdfLimits, unwrapPassphraseStanza } from '../crypto/passphrase.js';
import { unwrapX25519Stanza, type Identity } from '../crypto/x25519.js';
import {
  DEFAULT_KDF_LIMITS,
  FIXED_HEADER_BYTES,
  MAC_BYTES,
  STANZA_HEAD_BYTES,
  StanzaType,
  type KdfLimits,
} from '../format/constants.js';
import {
  checkStanzaMix,
  decodeFixedHeader,
  decodeStanzaBody,
  decodeStanzaHead,
  type Header,
} from '../format/header.js';
import { headerCorrupt, truncated, usage, wrongKey } from '../errors.js';
import type { ByteReader } from '../io/reader.js';

export interface ParsedHeader {
  header: Header;
  /** The exact header bytes the MAC covers. */
  body: Buffer;
  mac: Buffer;
}

/** What can unlock a file; the passphrase is asked for only if the header needs one. */
export interface Credentials {
  passphrase?: () => Promise<Buffer>;
  identities?: readonly Identity[];
}

export async function readHeader(reader: ByteReader): Promise<ParsedHeader> {
  const available = await reader.fill(FIXED_HEADER_BYTES);
  const fixed = decodeFixedHeader(reader.peek(Math.min(available, FIXED_HEADER_BYTES)));
  const parts: Buffer[] = [Buffer.from(reader.take(FIXED_HEADER_BYTES))];
  const stanzas = [];
  for (let index = 0; index < fixed.stanzaCount; index += 1) {
    const head = await readExact(reader, STANZA_HEAD_BYTES);
    const { type, length } = decodeStanzaHead(head);
    checkStanzaMix(index, fixed.stanzaCount, type);
    const body = await readExact(reader, length);
    stanzas.push(decodeStanzaBody(type, body));
    parts.push(head, body);
  }
  const mac = await readExact(reader, MAC_BYTES);
  const { kind, segmentExponent, noncePrefix } = fixed;
  return { header: { kind, segmentExponent, noncePrefix, stanzas }, body: Buffer.concat(parts), mac };
}

/** Recover the file key, then check the header MAC before anything else is trusted. */
export async function unlockHeader(
  parsed: ParsedHeader,
  credentials: Credentials,
  limits: KdfLimits = DEFAULT_KDF_LIMITS,
): Promise<FileKeys> {
  const [first] = parsed.header.stanzas;
  let fileKey: Buffer | undefined;
  if (first && first.type !== StanzaType.X25519) {
    if (!credentials.passphrase) throw usage('this file is encrypted with a passphrase; give one');
    // Before the passphrase is asked for: a refused file costs the user nothing.
    checkKdfLimits(first, limits);
    fileKey = await unwrapPassphraseStanza(first, await credentials.passphrase(), limits);
  } else {
    const identities = credentials.identities ?? [];
    if (identities.length === 0) throw usage('this file is encrypted to X25519 recipients; give a key file with -k');
    for (const stanza of parsed.header.stanzas) {
      if (stanza.type !== StanzaType.X25519) continue;
      for (const identity of identities) fileKey ??= unwrapX25519Stanza(stanza, identity);
    }
  }
  if (!fileKey) throw wrongKey();
  const keys = deriveFileKeys(fileKey);
  if (!headerMacMatches(keys.macKey, parsed.body, parsed.mac)) throw headerCorrupt();
  return keys;
}

/** A copy: the reader's views do not outlive its next read. */
async function readExact(reader: ByteReader, size: number): Promise<Buffer> {
  if ((await reader.fill(size)) < size) throw truncated();
  return Buffer.from(reader.take(size));
}
