import { ValidationError } from '@quartet/core/errors';

/** Hidden input on a terminal, drawn on stderr so stdout stays clean for --json. */
export async function askHidden(message: string, confirm: boolean): Promise<string> {
  const { password } = await import('@inquirer/prompts');
  const context = { output: process.stderr, clearPromptOnDone: true };
  const first = await password({ message }, context);
  if (!confirm) return first;
  const second = await password({ message: 'Repeat it:' }, context);
  if (first !== second) throw new ValidationError('the two passwords differ', { code: 'PASSWORD_MISMATCH' });
  return first;
}

/** A visible one-line answer on a terminal (a two-factor code), drawn on stderr. */
export async function askLine(message: string): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return input({ message }, { output: process.stderr, clearPromptOnDone: true });
}
