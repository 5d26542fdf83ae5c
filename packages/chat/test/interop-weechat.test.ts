import { spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { registerAccount } from './account-server.js';
import { tempDir } from './helpers.js';
import { spawnServer } from './processes.js';
import { observer, programsForTests, serverArgs } from './terminal-clients.js';

// The real WeeChat (headless, in the foreground) against the real chat-server bin. It is driven through its fifo
// plugin and read through its logger plugin, which writes one file per buffer.
const programs = programsForTests([{ command: 'weechat-headless', apt: 'weechat-headless' }]);
if (!programs.available) console.warn(`chat WeeChat interop tests ${programs.reason}`);

const WEE = 'wee!wee@127.0.0.1';

interface WeeChat {
  /** Run a command or say a line in a buffer, e.g. `irc.q.#interop`, `irc.server.q`. */
  readonly input: (buffer: string, text: string) => void;
  /** Poll the buffer's log until `pattern` shows; returns the log. */
  readonly waitForLog: (buffer: string, pattern: RegExp) => Promise<string>;
  readonly exited: Promise<number | null>;
}

/** WeeChat with a home of its own, set up as server `q` (nick wee) joining #interop; killed when the test ends. */
async function startWeeChat(port: number, serverOptions = ''): Promise<WeeChat> {
  const dir = tempDir();
  const commands = [
    // The logger otherwise writes its files every 120 s.
    '/set logger.file.flush_delay 0',
    `/server add q 127.0.0.1/${port} -notls ${serverOptions}`,
    '/set irc.server.q.nicks wee',
    '/set irc.server.q.username wee',
    '/set irc.server.q.autojoin #interop',
    '/connect q',
  ];
  const child = spawn('weechat-headless', ['--dir', dir, '--run-command', commands.join(';')], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  const fifo = join(dir, `weechat_fifo_${child.pid}`);
  await poll(() => existsSync(fifo), `WeeChat's fifo ${fifo}`);
  return {
    input: (buffer, text) => {
      // Non-blocking: fails at once (ENXIO) instead of hanging when WeeChat is gone.
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        writeSync(fd, `${buffer} *${text}\n`);
      } finally {
        closeSync(fd);
      }
    },
    waitForLog: async (buffer, pattern) => {
      const file = join(dir, 'logs', `${buffer}.weechatlog`);
      const read = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
      await poll(() => pattern.test(read()), `${String(pattern)} in ${file}:\n${read()}`);
      return read();
    },
    exited,
  };
}

/** There is no event for "a file changed" that is worth the setup here; the deadline only bounds a failing test. */
async function poll(done: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!programs.available)('WeeChat against chat-server', () => {
  it('logs in to an account with its standard SASL settings', async () => {
    const { port } = await spawnServer(serverArgs);
    await registerAccount(port!, 'wee', 'garden-gnome-42');
    const obs = await observer(port!);
    const wee = await startWeeChat(port!, '-sasl_mechanism=plain -sasl_username=wee -sasl_password=garden-gnome-42');

    expect(await obs.next(/ JOIN /)).toBe(`:${WEE} JOIN #interop`);
    await wee.waitForLog('irc.server.q', /\t--\tSASL authentication successful$/m);
    obs.send('WHOIS wee');
    expect(await obs.next(/ 330 /)).toBe(':quartet.local 330 observer wee wee :is logged in as');
  }, 60_000);

  it('joins, talks, acts, exchanges private messages and quits', async () => {
    const { port } = await spawnServer(serverArgs);
    const obs = await observer(port!);
    const wee = await startWeeChat(port!);

    expect(await obs.next(/ JOIN /)).toBe(`:${WEE} JOIN #interop`);
    await wee.waitForLog('irc.server.q', /\t--\tWelcome to the quartet IRC Network wee!wee@127\.0\.0\.1$/m);
    // The channel's buffer exists (and takes input from the fifo) once WeeChat has the NAMES reply.
    await wee.waitForLog('irc.q.#interop', /\t--\tChannel #interop: 2 nicks \(1 op, 0 voices, 1 normal\)$/m);

    wee.input('irc.q.#interop', 'hello from weechat');
    expect(await obs.next(/ PRIVMSG /)).toBe(`:${WEE} PRIVMSG #interop :hello from weechat`);
    wee.input('irc.q.#interop', '/me waves');
    expect(await obs.next(/ PRIVMSG /)).toBe(`:${WEE} PRIVMSG #interop :\x01ACTION waves\x01`);

    obs.send('PRIVMSG #interop :hello weechat');
    await wee.waitForLog('irc.q.#interop', /\t@observer\thello weechat$/m);

    wee.input('irc.server.q', '/msg observer psst observer');
    expect(await obs.next(/ PRIVMSG /)).toBe(`:${WEE} PRIVMSG observer :psst observer`);
    obs.send('PRIVMSG wee :psst wee');
    await wee.waitForLog('irc.q.observer', /\tobserver\tpsst wee$/m);

    wee.input('irc.server.q', '/quit bye now');
    expect(await obs.next(/ QUIT /)).toBe(`:${WEE} QUIT :Quit: bye now`);
    expect(await wee.exited).toBe(0);
  }, 60_000);

  it('sends the server password set with -password', async () => {
    const { port } = await spawnServer([...serverArgs, '--password', 'sesame']);
    const obs = await observer(port!, 'sesame');
    await startWeeChat(port!, '-password=sesame');
    expect(await obs.next(/ JOIN /)).toBe(`:${WEE} JOIN #interop`);
  }, 60_000);
});
