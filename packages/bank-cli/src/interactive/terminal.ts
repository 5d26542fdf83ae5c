import type { EventEmitter } from 'node:events';
import { visible } from '../visible-text.js';

/** Where the menus read keys and draw; tests pass their own. */
export interface Terminal {
  input: NodeJS.ReadableStream & EventEmitter;
  output: NodeJS.WritableStream;
}

/** Thrown when the user presses Ctrl-C or Esc in a prompt: go back one menu. */
export class Back extends Error {
  constructor() {
    super('back');
    this.name = 'Back';
  }
}

export interface PromptContext {
  signal: AbortSignal;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  clearPromptOnDone: boolean;
}

export interface Ui {
  clear(): void;
  /** Runs one prompt; Ctrl-C or Esc turns into `Back`. */
  ask<T>(prompt: (context: PromptContext) => Promise<T>): Promise<T>;
}

export function createUi(terminal: Terminal): Ui {
  return {
    clear() {
      // Clear the screen and the scrollback, then home the cursor.
      terminal.output.write('\x1b[2J\x1b[3J\x1b[H');
    },
    async ask(prompt) {
      // inquirer handles Ctrl-C itself (ExitPromptError); Esc it ignores, so
      // we watch for it and abort the prompt through its signal.
      const controller = new AbortController();
      const onKeypress = (_text: unknown, key?: { name?: string }) => {
        if (key?.name === 'escape') controller.abort();
      };
      terminal.input.on('keypress', onKeypress);
      try {
        return await prompt({
          signal: controller.signal,
          input: terminal.input,
          output: terminal.output,
          clearPromptOnDone: true,
        });
      } catch (error) {
        if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
          throw new Back();
        }
        throw error;
      } finally {
        terminal.input.off('keypress', onKeypress);
      }
    },
  };
}

/** One readable line for any error, so the menu can carry on. */
export function errorLine(error: unknown): string {
  if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_BUSY') {
    return 'Error: the database is busy; try again.';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Error: ${message.split('\n')[0] ?? ''}`;
}

/** A menu's text: what just happened (if anything), then the title. */
export function screen(title: string, flash: string): string {
  return flash ? `${visible(flash)}\n\n${title}` : title;
}
