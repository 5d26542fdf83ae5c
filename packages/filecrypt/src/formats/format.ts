import type { DecSettings, EncParameters, EncSettings, InspectSettings } from '../config.js';
import type { CommandContext } from '../commands/context.js';
import type { RecipientText } from '../commands/keys.js';
import type { Metadata } from '../format/metadata.js';
import type { Input } from '../io/input.js';
import type { ByteReader } from '../io/reader.js';
import type { Sink } from '../io/sink.js';

/**
 * One file format (native, openssl, age) behind one interface, so that the
 * commands pick a format instead of branching on each (STYLE.md rule 12).
 * Each phase that may ask for a passphrase or read keys runs before any
 * output exists, so that a refused run leaves nothing behind.
 */
export interface FileFormat {
  /** Keys, passphrase and checks; the returned function writes the encrypted bytes. */
  prepareEncrypt(job: EncryptJob, context: CommandContext): Promise<Encrypt>;
  /** Read and unlock the header; the payload is decrypted by the result. */
  open(reader: ByteReader, settings: DecSettings, context: CommandContext): Promise<OpenedFile>;
  /** What `inspect` prints about a file of this format. */
  inspect(reader: ByteReader, source: Input, settings: InspectSettings, context: CommandContext): Promise<string[]>;
}

export interface EncryptJob {
  source: Input;
  settings: EncSettings;
  parameters: EncParameters;
  /** -r and -R keys; empty for a passphrase. */
  recipients: RecipientText[];
}

export type Encrypt = (chunks: AsyncIterable<Buffer>, sink: Sink) => Promise<{ plaintextBytes?: number }>;

export interface OpenedFile {
  /** The payload is a tar stream of a directory: extracted into a directory when written to -o. */
  tar: boolean;
  /** Decrypt the payload into the sink; the native format also returns its stored facts. */
  decrypt(sink: Sink): Promise<Metadata | undefined>;
}
