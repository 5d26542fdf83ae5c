import type { InspectSettings } from '../config.js';
import { METADATA_SEGMENT_BYTES, MAC_BYTES, StanzaType, TAG_BYTES } from '../format/constants.js';
import type { Header } from '../format/header.js';
import type { Metadata } from '../format/metadata.js';
import { printable } from '../format/printable.js';
import { decryptPayload } from '../engine/decrypt.js';
import { readHeader, unlockHeader } from '../engine/header.js';
import type { CommandContext } from '../commands/context.js';
import { readKeyFiles } from '../commands/keys.js';
import { resolvePassphrase } from '../commands/passphrase.js';
import type { Input } from '../io/input.js';
import type { ByteReader } from '../io/reader.js';
import { discardSink } from '../io/sink.js';

/**
 * Header facts need no secret. Given a passphrase or key (flag or
 * FILECRYPT_PASSPHRASE, never a prompt), the whole file is authenticated and
 * the metadata shown too.
 */
export async function inspectNative(
  reader: ByteReader,
  source: Input,
  settings: InspectSettings,
  context: CommandContext,
): Promise<string[]> {
  const parsed = await readHeader(reader);
  const headerBytes = parsed.body.length + MAC_BYTES;
  const lines = headerLines(parsed.header, headerBytes, source.size);
  const canUnlock =
    settings.passphraseFile !== undefined ||
    settings.passphraseFd !== undefined ||
    settings.key.length > 0 ||
    context.config.passphrase !== undefined;
  if (!canUnlock) return [...lines, 'metadata: encrypted (give a passphrase or -k KEYFILE to show it)'];
  const identities = (await readKeyFiles(settings.key)).flatMap((file) => file.native);
  const keys = await unlockHeader(
    parsed,
    { passphrase: () => resolvePassphrase(settings, context, false), identities },
    context.limits ?? settings.kdfLimits,
  );
  const metadata = await decryptPayload(reader, parsed.header, keys, discardSink());
  // Metadata version 1 also carries the plaintext's SHA-256; version 2 leaves it to the segments' tags.
  const checked = metadata.sha256 ? 'every segment, size and SHA-256' : 'every segment and the size';
  return [...lines, ...metadataLines(metadata), `integrity: verified (${checked})`];
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
    // Metadata version 2 stores no hash (the segments' tags authenticate the content).
    ...(metadata.sha256 ? [`sha256: ${metadata.sha256.toString('hex')}`] : []),
  ];
}
