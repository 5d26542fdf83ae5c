import { openSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { InterruptedError, usage } from '../errors.js';
import { registerUndo } from './cleanup.js';

/**
 * Ask on /dev/tty with echo off, so that stdin and stdout stay free for the
 * data being piped. Backspace edits; Ctrl-C interrupts; Ctrl-D on an empty line aborts.
 */
export async function promptHidden(question: string, device = '/dev/tty'): Promise<string> {
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
    return await new Promise<string>((resolve, reject) => {
      let answer = '';
      input.on('data', (data: Buffer) => {
        for (const char of data.toString('utf8')) {
          if (char === '\r' || char === '\n') return resolve(answer);
          if (char === '\u0003') return reject(new InterruptedError('SIGINT'));
          if (char === '\u0004' && answer === '') return reject(usage('no passphrase given'));
          if (char === '\u007f' || char === '\b') answer = [...answer].slice(0, -1).join('');
          else if (char >= ' ') answer += char;
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
