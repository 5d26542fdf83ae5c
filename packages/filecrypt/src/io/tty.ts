import { openSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { InterruptedError, usage } from '../errors.js';
import { registerUndo } from './cleanup.js';

/**
 * Ask on /dev/tty with echo off, so that stdin and stdout stay free for the
 * data being piped. Backspace edits; Ctrl-C interrupts; Ctrl-D on an empty line aborts.
 */
export async function promptHidden(question: string, device = '/dev/tty'): Promise<Buffer> {
  let fd: number;
  try {
    fd = openSync(device, 'r+');
  } catch {
    throw usage(
      'no passphrase: there is no terminal to ask on; use --passphrase-file, --passphrase-fd or FILECRYPT_PASSPHRASE',
    );
  }
  const input = new ReadStream(fd);
  // A signal while echo is off must not leave the terminal silent.
  const forget = registerUndo(() => input.setRawMode(false));
  try {
    // Echo goes off before the question appears, so nothing typed after it is shown.
    input.setRawMode(true);
    writeSync(fd, question);
    return await new Promise<Buffer>((resolve, reject) => {
      // Bytes, not characters: the passphrase is what the terminal sends, in whatever encoding it uses.
      const answer: number[] = [];
      input.on('data', (data: Buffer) => {
        for (const byte of data) {
          if (byte === 0x0d || byte === 0x0a) return resolve(Buffer.from(answer));
          if (byte === 0x03) return reject(new InterruptedError('SIGINT'));
          if (byte === 0x04 && answer.length === 0) return reject(usage('no passphrase given'));
          if (byte === 0x7f || byte === 0x08) answer.splice(answer.length - lastCharacterBytes(answer));
          else if (byte >= 0x20) answer.push(byte);
        }
      });
      input.on('error', reject);
    });
  } finally {
    forget();
    input.setRawMode(false);
    writeSync(fd, '\n');
    // The tty stream owns the descriptor and closes it.
    input.destroy();
  }
}

/**
 * How many bytes a backspace removes: the last character when the answer ends
 * in a whole UTF-8 sequence (what a UTF-8 terminal shows as one character),
 * otherwise one byte (a Latin-1 terminal, say).
 */
function lastCharacterBytes(answer: readonly number[]): number {
  for (let length = 2; length <= 4 && length <= answer.length; length += 1) {
    const tail = Buffer.from(answer.slice(-length));
    const text = tail.toString('utf8');
    if ([...text].length === 1 && !text.includes('\ufffd') && Buffer.from(text).equals(tail)) return length;
  }
  return Math.min(1, answer.length);
}
