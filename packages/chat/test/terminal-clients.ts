import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { RawClient } from './helpers.js';

/**
 * Real IRC clients (irssi, WeeChat) for the interop tests, each in a detached tmux session of its own: irssi
 * needs a terminal, and a tmux pane is one we can type into and read.
 */

/** A program the tests drive, and the Debian package that provides it. */
export interface Program {
  readonly command: string;
  readonly apt: string;
}

export type ProgramsStatus = { available: true } | { available: false; reason: string };

/**
 * Are these programs on PATH? Missing ones mean "skip, and say why", unless QUARTET_REQUIRE_SERVICES=1 (CI),
 * where they are a failure naming the package to install.
 */
export function programsForTests(programs: readonly Program[], env = process.env): ProgramsStatus {
  const missing = programs.filter(({ command }) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0);
  if (missing.length === 0) return { available: true };
  const what = missing.map(({ command, apt }) => `${command} (apt-get install -y ${apt})`).join(', ');
  if (env['QUARTET_REQUIRE_SERVICES'] === '1') throw new Error(`QUARTET_REQUIRE_SERVICES=1 but missing: ${what}`);
  return { available: false, reason: `skipped: missing ${what}` };
}

export const TMUX: Program = { command: 'tmux', apt: 'tmux' };

/** One command running in a detached tmux session on a private tmux server, killed when the test ends. */
export class TmuxPane {
  private constructor(private readonly socket: string) {}

  /** Start `argv` in a 200×50 terminal. */
  static start(argv: readonly string[], env: Readonly<Record<string, string>> = {}): TmuxPane {
    const pane = new TmuxPane(`quartet-${randomBytes(6).toString('hex')}`);
    onTestFinished(() => pane.kill());
    const vars = Object.entries({ TERM: 'screen', LANG: 'C.UTF-8', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    pane.tmux('new-session', '-d', '-s', 'main', '-x', '200', '-y', '50', ...vars, '--', ...argv);
    // Keep the pane (and its last screen) if the program exits, so a failure can show why.
    pane.tmux('set-option', '-g', 'remain-on-exit', 'on');
    return pane;
  }

  /** Type a line and press Enter. */
  type(line: string): void {
    this.tmux('send-keys', '-t', '=main:', '-l', line);
    this.tmux('send-keys', '-t', '=main:', 'Enter');
  }

  /** The visible screen, wrapped lines joined, trailing blanks trimmed. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', '=main:')
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
  }

  /**
   * Poll the screen until `pattern` shows; returns the screen. There is no event to wait on inside a terminal,
   * so this polls; the deadline only bounds a failing test.
   */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} on screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    // tmux leaves its socket file behind.
    rmSync(join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
}

/** A raw socket client registered (with PASS when the server has a password) and joined to #interop. */
export async function observer(port: number, password?: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  if (password !== undefined) client.send(`PASS ${password}`);
  client.send('NICK observer', 'USER observer 0 * :observer');
  await client.next(/ (376|422) /);
  await client.join('#interop');
  return client;
}

/** chat-server for the interop tests: a free port, nothing kept. */
export const serverArgs = ['--host', '127.0.0.1', '--port', '0', '--no-persist'];
