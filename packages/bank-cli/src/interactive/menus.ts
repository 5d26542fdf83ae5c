import { ValidationError } from '@quartet/core/errors';
import { parseWith, passwordFor } from '@quartet/core/validation';
import { openBank } from '../app.js';
import { drainAndClose } from '../commands/close-bank.js';
import type { GlobalOptions } from '../commands/context.js';
import { resolveConfig } from '../config.js';
import { parseUsername, register } from '../domain/auth.js';
import { login } from '../domain/login.js';
import type { User } from '../domain/types.js';
import { validator } from './forms.js';
import type { MenuDeps } from './menu-types.js';
import { loginNotice } from './notifications-menu.js';
import { Back, createUi, errorLine, screen, type Terminal } from './terminal.js';
import { askTotp } from './two-factor-menu.js';
import { userMenu } from './user-menu.js';

/** `bank` with no arguments. Returns when the user quits. */
export async function runMenus(options: GlobalOptions, terminal?: Terminal): Promise<void> {
  if (!terminal && !process.stdin.isTTY) {
    throw new ValidationError('the menus need a terminal; see "bank --help" for the subcommands', { code: 'NO_TTY' });
  }
  const config = resolveConfig({ db: options.db, databaseUrl: options.databaseUrl, user: undefined });
  const { bank, close, warnings } = openBank(config);
  try {
    const prompts = await import('@inquirer/prompts');
    const ui = createUi(terminal ?? { input: process.stdin, output: process.stdout });
    // The menus clear the screen, so what opening the database had to say is the first menu's message.
    await firstMenu({ bank, prompts, ui }, warnings.join('\n'));
  } finally {
    // The e-mails of the session's notices go out when the user quits (the screen is no longer the menus').
    await drainAndClose(bank, config, options.warnings, close);
  }
}

export async function firstMenu(deps: MenuDeps, notice = ''): Promise<void> {
  const { ui, prompts } = deps;
  let flash = notice;
  for (;;) {
    ui.clear();
    let choice: 'login' | 'register' | 'quit';
    try {
      choice = await ui.ask((context) =>
        prompts.select(
          {
            message: screen(`Welcome to bank (${deps.bank.store.currency.code}).`, flash),
            choices: [
              { name: 'Log in', value: 'login' as const },
              { name: 'Register', value: 'register' as const },
              { name: 'Quit', value: 'quit' as const },
            ],
            theme: { prefix: '' },
          },
          context,
        ),
      );
    } catch (error) {
      if (error instanceof Back) return;
      throw error;
    }
    if (choice === 'quit') return;
    try {
      const user = choice === 'login' ? await loginForm(deps) : await registerForm(deps);
      const welcome =
        choice === 'register' ? `Welcome, ${user.username}! Your user is ready.` : loginNotice(deps, user);
      flash = await userMenu(deps, user, welcome);
    } catch (error) {
      flash = error instanceof Back ? 'Cancelled.' : errorLine(error);
    }
  }
}

async function loginForm(deps: MenuDeps): Promise<User> {
  const { bank, ui, prompts } = deps;
  const username = await ui.ask((c) => prompts.input({ message: 'Username:' }, c));
  const password = await ui.ask((c) => prompts.password({ message: 'Password:', mask: true }, c));
  return login(bank, username, password, () => askTotp(deps));
}

async function registerForm({ bank, ui, prompts }: MenuDeps): Promise<User> {
  const username = await ui.ask((c) =>
    prompts.input({ message: 'Choose a username (3-32 of a-z 0-9 _ . -):', validate: validator(parseUsername) }, c),
  );
  const name = parseUsername(username);
  const password = await ui.ask((c) =>
    prompts.password(
      {
        message: 'Choose a password (12+ characters):',
        mask: true,
        validate: validator((pw: string) => parseWith(passwordFor(name), pw)),
      },
      c,
    ),
  );
  await ui.ask((c) =>
    prompts.password(
      {
        message: 'Repeat the password:',
        mask: true,
        validate: (again: string) => again === password || 'the two passwords differ',
      },
      c,
    ),
  );
  await register(bank, name, password);
  return login(bank, name, password);
}
