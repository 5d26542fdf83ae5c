import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ValidationError } from '@quartet/core/errors';
import { createPasswordHasher } from '@quartet/core/password';
import { parseWith, passwordSchema } from '@quartet/core/validation';
import { OPER_NAME_RE } from '../server/opers.js';

/**
 * `name:<bcrypt hash>` for the oper file. On a terminal the password is asked
 * twice without echo; otherwise the first line of stdin is the password, for scripts.
 */
export async function hashOperPassword(
  name: string,
  cost: number,
  input: Readable & { isTTY?: boolean },
): Promise<string> {
  if (!OPER_NAME_RE.test(name)) {
    throw new ValidationError(`operator name must be 1–32 of letters, digits, "_", "." and "-"; got "${name}"`);
  }
  const password = input.isTTY ? await askTwice() : await firstLine(input);
  if (password === '') throw new ValidationError('password must not be empty');
  // The policy every quartet login uses: 12 characters to 72 bytes, not common, not a sequence.
  parseWith(passwordSchema, password);
  const hash = await createPasswordHasher({ cost }).hash(password);
  return `${name}:${hash}`;
}

async function askTwice(): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  const first = await password({ message: 'Password:', mask: '*' });
  const again = await password({ message: 'Again:', mask: '*' });
  if (first !== again) throw new ValidationError('the two passwords differ');
  return first;
}

async function firstLine(input: Readable): Promise<string> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new ValidationError('no password on stdin');
}
