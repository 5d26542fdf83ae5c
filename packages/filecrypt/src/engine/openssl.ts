import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { OPENSSL_MAGIC, OPENSSL_SALT_BYTES } from '../format/constants.js';
import { truncated, wrongKey } from '../errors.js';
import { READ_SIZE } from '../io/input.js';
import type { ByteReader } from '../io/reader.js';
import { GarbageBudget } from '../io/memory.js';
import { BatchWriter, type Sink } from '../io/sink.js';

const pbkdf2Async = promisify(pbkdf2);
const BLOCK = 16;

/**
 * What `openssl enc -aes-256-cbc -pbkdf2 -md sha256 -iter N` writes and reads:
 * "Salted__" ‖ 8-byte salt ‖ AES-256-CBC with PKCS#7 padding, key ‖ IV being
 * the first 48 bytes of PBKDF2-HMAC-SHA256(passphrase, salt, N). No integrity.
 */
export async function encryptOpenssl(
  chunks: AsyncIterable<Buffer>,
  sink: Sink,
  options: { passphrase: Buffer; iterations: number; random?: (size: number) => Buffer },
): Promise<void> {
  const salt = (options.random ?? randomBytes)(OPENSSL_SALT_BYTES);
  const { key, iv } = await deriveKeyIv(options.passphrase, salt, options.iterations);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const out = new BatchWriter(sink);
  const garbage = new GarbageBudget();
  try {
    await out.push(OPENSSL_MAGIC, salt);
    for await (const chunk of chunks) {
      await out.push(cipher.update(chunk));
      await garbage.add(chunk.length);
    }
    await out.push(cipher.final());
    await out.end();
  } catch (error) {
    await out.settle();
    throw error;
  }
}

export function isOpensslHeader(bytes: Buffer): boolean {
  return bytes.length >= OPENSSL_MAGIC.length && bytes.subarray(0, OPENSSL_MAGIC.length).equals(OPENSSL_MAGIC);
}

export async function decryptOpenssl(
  reader: ByteReader,
  sink: Sink,
  options: { passphrase: Buffer; iterations: number },
): Promise<void> {
  const head = await reader.read(OPENSSL_MAGIC.length + OPENSSL_SALT_BYTES);
  if (head.length < OPENSSL_MAGIC.length + OPENSSL_SALT_BYTES) throw truncated();
  const salt = Buffer.from(head.subarray(OPENSSL_MAGIC.length));
  const { key, iv } = await deriveKeyIv(options.passphrase, salt, options.iterations);
  const decipher = createDecipheriv('aes-256-cbc', key, iv);
  const out = new BatchWriter(sink);
  const garbage = new GarbageBudget();
  let length = 0;
  try {
    for (;;) {
      const chunk = await reader.read(READ_SIZE);
      if (chunk.length === 0) break;
      length += chunk.length;
      await out.push(decipher.update(chunk));
      await garbage.add(chunk.length);
    }
    if (length === 0 || length % BLOCK !== 0) throw truncated();
    let last: Buffer;
    try {
      last = decipher.final();
    } catch {
      throw wrongKey(
        options.iterations === 10_000
          ? ''
          : '; if the file was made with openssl enc without -iter, try --iter 10000 (openssl default)',
      );
    }
    await out.push(last);
    await out.end();
  } catch (error) {
    await out.settle();
    await reader.close();
    throw error;
  }
}

async function deriveKeyIv(passphrase: Buffer, salt: Buffer, iterations: number) {
  const bytes = await pbkdf2Async(passphrase, salt, iterations, 48, 'sha256');
  return { key: bytes.subarray(0, 32), iv: bytes.subarray(32, 48) };
}
