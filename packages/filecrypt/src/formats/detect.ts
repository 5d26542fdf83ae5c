import type { EncFormat } from '../config.js';
import { AGE_SNIFF_BYTES, sniffAge } from '../age/decrypt.js';
import { isOpensslHeader } from '../engine/openssl.js';
import { notAge, notOpenssl, opensslNeedsFlag } from '../errors.js';
import type { FileFormat } from './format.js';
import { formatNamed } from './registry.js';

/** How `dec` and `inspect` tell formats apart (enc is told the format, and does not load the sniffers). */
interface Recognised {
  name: EncFormat;
  sniff(head: Buffer): boolean;
  /** An unauthenticated format is decrypted only when asked for by name: the refusal otherwise. */
  unasked?: () => Error;
  /** The refusal when it was asked for and the file is something else. */
  notThis?: () => Error;
}

/** The formats told apart by their first bytes; anything else is read as the native format (which checks its magic). */
const RECOGNISED: readonly Recognised[] = [
  { name: 'openssl', sniff: isOpensslHeader, unasked: opensslNeedsFlag, notThis: notOpenssl },
  // Binary or armored, with the whitespace the armor allows before it.
  { name: 'age', sniff: (head) => sniffAge(head) !== undefined, notThis: notAge },
];

/** Enough for every sniffer: age's armor line may follow up to 1 KiB of whitespace; openssl needs 16. */
export const SNIFF_BYTES = Math.max(AGE_SNIFF_BYTES, 16);

/** What `inspect` reads: whatever the first bytes say. */
export function recognise(head: Buffer): Promise<FileFormat> {
  return formatNamed(RECOGNISED.find((format) => format.sniff(head))?.name ?? 'native');
}

/** What `dec` reads: what the first bytes say, but an unauthenticated format only when it is the one asked for. */
export function formatToDecrypt(head: Buffer, requested: string): Promise<FileFormat> {
  const found = RECOGNISED.find((format) => format.sniff(head));
  const asked = RECOGNISED.find((format) => format.name === requested);
  if (asked?.notThis && found !== asked) throw asked.notThis();
  if (found?.unasked && found !== asked) throw found.unasked();
  return formatNamed(found?.name ?? 'native');
}
