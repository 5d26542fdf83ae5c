import type * as InquirerPrompts from '@inquirer/prompts';
import type { Bank } from '../domain/bank.js';
import type { Ui } from './terminal.js';

export type Prompts = typeof InquirerPrompts;

/** What every menu is handed by the one above it; no menu imports the menus that call it. */
export interface MenuDeps {
  bank: Bank;
  ui: Ui;
  prompts: Prompts;
}
