import { screen } from '@inquirer/testing/vitest';
import { PassThrough } from 'node:stream';
import { firstMenu } from '../src/interactive/menus.js';
import { createUi, type Terminal } from '../src/interactive/terminal.js';
import type { testBank } from './helpers.js';
import { storageFlags } from './test-database.js';

/** Drives the menus on @inquirer/testing's virtual screen (shared by the menu test files). */
export { screen };

export const HINT = '↑↓ navigate • ⏎ select';

export function start(bank: ReturnType<typeof testBank>['bank']) {
  const output = new PassThrough();
  output.resume();
  // mute-stream ships no types here, so the screen's input is typed through `unknown`.
  const input: unknown = screen.input;
  return import('@inquirer/prompts').then((prompts) =>
    firstMenu({ bank, prompts, ui: createUi({ input: input as Terminal['input'], output }) }),
  );
}

/** Waits for renders until the screen shows `text`. The timer only turns a hang into a readable failure. */
export async function until(text: string): Promise<string> {
  for (let i = 0; i < 50; i += 1) {
    const shown = screen.getScreen();
    if (shown.includes(text)) return shown;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<'stuck'>((resolve) => (timer = setTimeout(() => resolve('stuck'), 10_000)));
    const result = await Promise.race([screen.next(), stuck]);
    clearTimeout(timer);
    if (result === 'stuck') break;
  }
  throw new Error(`screen never showed ${JSON.stringify(text)}; last screen:\n${screen.getScreen()}`);
}

export async function answer(text: string) {
  screen.type(text);
  screen.keypress('enter');
  await screen.next();
}

export async function choose(downs: number) {
  for (let i = 0; i < downs; i += 1) screen.keypress('down');
  screen.keypress('enter');
  await screen.next();
}

export const ctrlC = () => screen.keypress({ name: 'c', ctrl: true });

/** From the user menu up to the confirmation of a transfer to bob's first account; returns the screens on the way. */
export async function transferToBob(amount: string, note: string) {
  await choose(4);
  await until('Transfer from which account?');
  await choose(0);
  const target = await until('Transfer to?');
  await choose(0);
  await until('Their username:');
  await answer('bob');
  const account = await until("Which of bob's accounts?");
  await choose(0);
  await until('Amount to transfer');
  await answer(amount);
  await until('Note');
  await answer(note);
  const confirm = await until('(y/N)');
  return { target, account, confirm };
}

/** From the first menu: log in, answering the two-factor prompt when `code` is given. */
export async function logIn(username: string, password: string, code?: string): Promise<void> {
  await until('Welcome');
  await choose(0);
  await until('Username:');
  await answer(username);
  await until('Password:');
  await answer(password);
  if (code !== undefined) {
    await until('Two-factor code (or a recovery code):');
    await answer(code);
  }
}

/** The menus as `bank` starts them: opening `file` itself (so they can show what opening it said). */
export async function startMenus(file: string): Promise<void> {
  const { runMenus } = await import('../src/interactive/menus.js');
  const output = new PassThrough();
  output.resume();
  const input: unknown = screen.input;
  return runMenus(storageFlags(file), { input: input as Terminal['input'], output });
}
