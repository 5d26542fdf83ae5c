import { METADATA_SEGMENT_BYTES, MAC_BYTES, StanzaType, TAG_BYTES, type KdfLimits } from '../format/constants.js';
import type { Header } from '../format/header.js';
import type { Metadata } from '../format/metadata.js';
import { printable } from '../format/printable.js';
import { decryptPayload } from '../engine/decrypt.js';
import { readHeader, unlockHeader } from '../engine/header.js';
import { isOpensslHeader } from '../engine/openssl.js';
import { usage } from '../errors.js';
import { withInput, type Input } from '../io/input.js';
import { ByteReader } from '../io/reader.js';
import { discardSink } from '../io/sink.js';
import type { CommandContext } from './context.js';
import { loadIdentities } from './keys.js';
import { resolvePassphrase, type PassphraseFlags } from './passphrase.js';

export interface InspectFlags extends PassphraseFlags {
  key: string[];
  kdfLimits: KdfLimits;
}

/**
 * Header facts need no secret. Given a passphrase or key (flag or
 * FILECRYPT_PASSPHRASE, never a prompt), the whole file is authenticated and
 * the metadata shown too.
 */
export async function inspectCommand(input: string | undefined, flags: InspectFlags, context: CommandContext) {
  return withInput(input, context.stdin, (source) => inspectInput(source, flags, context));
}

async function inspectInput(source: Input, flags: InspectFlags, context: CommandContext): Promise<string[]> {
  const reader = new ByteReader(source.chunks);
  try {
    if (source.kind === 'directory') throw usage(`${source.label} is a directory, not an encrypted file`);
    await reader.fill(16);
    if (isOpensslHeader(reader.peek(Math.min(16, reader.buffered)))) {
      return [
        'format: openssl enc (Salted__): AES-256-CBC, key and IV from PBKDF2, no integrity protection',
        `salt: ${reader.peek(Math.min(16, reader.buffered)).subarray(8).toString('hex')}`,
        'iterations: not recorded in the file (openssl default 10000; filecrypt default 600000)',
      ];
    }
    const parsed = await readHeader(reader);
    const headerBytes = parsed.body.length + MAC_BYTES;
    const lines = headerLines(parsed.header, headerBytes, source.size);
    const canUnlock =
      flags.passphraseFile !== undefined ||
      flags.passphraseFd !== undefined ||
      flags.key.length > 0 ||
      context.config.passphrase !== undefined;
    if (!canUnlock) return [...lines, 'metadata: encrypted (give a passphrase or -k KEYFILE to show it)'];
    const keys = await unlockHeader(
      parsed,
      { passphrase: () => resolvePassphrase(flags, context, false), identities: await loadIdentities(flags.key) },
      context.limits ?? flags.kdfLimits,
    );
    const metadata = await decryptPayload(reader, parsed.header, keys, discardSink());
    return [...lines, ...metadataLines(metadata), 'integrity: verified (every segment, size and SHA-256)'];
  } finally {
    await reader.close();
  }
}

function headerLines(header: Header, headerBytes: number, fileSize: number | undefined): string[] {
  const segment = 2 ** header.segmentExponent;
  const lines = [
    'format: filecrypt v1 (AES-256-GCM STREAM, HMAC-SHA256 header)',
    `content: ${header.kind === 0 ? 'file' : 'directory (tar)'}`,
    `segment size: ${segment}`,
    `nonce prefix: ${header.noncePrefix.toString('hex')}`,
    `header bytes: ${headerBytes}`,
  ];
  for (const stanza of header.stanzas) {
    if (stanza.type === StanzaType.Pbkdf2)
      lines.push(`key: passphrase, PBKDF2-HMAC-SHA256, ${stanza.iterations} iterations`);
    else if (stanza.type === StanzaType.Scrypt) {
      lines.push(`key: passphrase, scrypt N=2^${stanza.logN} r=${stanza.r} p=${stanza.p}`);
    }
  }
  const recipients = header.stanzas.filter((stanza) => stanza.type === StanzaType.X25519).length;
  if (recipients > 0) lines.push(`key: ${recipients} X25519 recipient${recipients === 1 ? '' : 's'}`);
  const payload = fileSize === undefined ? undefined : fileSize - headerBytes - METADATA_SEGMENT_BYTES;
  if (payload !== undefined && payload >= 0) {
    const segments = Math.ceil(payload / (segment + TAG_BYTES));
    lines.push(
      `plaintext size: ${payload - segments * TAG_BYTES} bytes in ${segments + 1} segments (from the file size)`,
    );
  }
  return lines;
}

function metadataLines(metadata: Metadata): string[] {
  return [
    `name: ${metadata.name === undefined ? '(none: encrypted from stdin)' : printable(metadata.name)}`,
    `size: ${metadata.size}`,
    `mtime: ${metadata.mtimeMs ? new Date(metadata.mtimeMs).toISOString() : '(unknown)'}`,
    `mode: ${metadata.mode ? metadata.mode.toString(8).padStart(4, '0') : '(unknown)'}`,
    `sha256: ${metadata.sha256.toString('hex')}`,
  ];
}
