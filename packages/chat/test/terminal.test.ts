/* eslint-disable no-control-regex -- a terminal's output is escape sequences; the tests match them exactly */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runTerminal } from '../src/client/terminal.js';
import { loadClientConfig } from '../src/config.js';
import { nickColorizer } from '../src/client/colors.js';
import { RawClient, startServer } from './helpers.js';

/** A fake terminal: what we type goes in, everything drawn is collected. */
function fakeTerminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let drawn = '';
  output.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
  return {
    input: Object.assign(input, { isTTY: true }),
    output: Object.assign(output, { isTTY: true, columns: 200 }),
    drawn: () => drawn,
    type: (text: string) => input.write(text),
    /** Wait until the screen text (escape sequences removed) matches. */
    async until(pattern: RegExp) {
      const text = () => stripEscapes(drawn);
      for (let i = 0; i < 200 && !pattern.test(text()); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(text()).toMatch(pattern);
    },
  };
}

// Cursor movement and clearing, not colours.
const stripEscapes = (text: string) => text.replace(/\x1b\[\d*[GJKC]/g, '');

describe('terminal client', () => {
  it('prints incoming lines above the prompt and redraws the half-typed line after them', async () => {
    const { port } = await startServer();
    const alice = await RawClient.register(port, 'alice');
    await alice.join('#lobby');
    const term = fakeTerminal();
    const done = runTerminal({ host: '127.0.0.1', port, nick: undefined, channel: '#lobby', color: true, ...term });
    await term.until(/Nickname: $/);
    term.type('alice\r');
    await term.until(/Another nickname: $/);
    term.type('bob\r');
    await alice.next(':bob!alice@127.0.0.1 JOIN #lobby');
    term.type('half-typ');
    const before = term.drawn().length;
    alice.send('PRIVMSG #lobby :hello bob');
    await term.until(/hello bob/);
    await term.until(/half-typ$/);
    const redraw = term.drawn().slice(before);
    // Clear the prompt line, print the message, then the prompt and the unfinished input again.
    expect(redraw).toMatch(
      /\x1b\[2K\x1b\[1G\[\d\d:\d\d\] <\x1b\[\d+malice\x1b\[0m> hello bob\n\x1b\[1G\x1b\[0J\[#lobby\] half-typ\x1b\[18G$/,
    );
    term.type('ed line\r/me waves\r/msg alice psst\r');
    await alice.next(':bob!alice@127.0.0.1 PRIVMSG #lobby :half-typed line');
    await alice.next(':bob!alice@127.0.0.1 PRIVMSG #lobby :\x01ACTION waves\x01');
    await alice.next(':bob!alice@127.0.0.1 PRIVMSG alice :psst');
    await term.until(/-> \*alice\* psst/);
    term.type('/quit bye now\r');
    await alice.next(':bob!alice@127.0.0.1 QUIT :Quit: bye now');
    await done;
  });
});

describe('client configuration', () => {
  it.each([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, {}, false],
  ])('on a terminal: %s, env %j: colour %s', (tty, env, color) => {
    expect(loadClientConfig({}, tty, env).color).toBe(color);
  });

  it('validates flags', () => {
    expect(loadClientConfig({ channel: 'dev', port: '7000' }, false, {})).toEqual({
      host: '127.0.0.1',
      port: 7000,
      nick: undefined,
      channel: '#dev',
      color: false,
    });
    expect(() => loadClientConfig({ nick: '9x' }, false, {})).toThrow(/^nick: must be 1–30 letters/);
    expect(() => loadClientConfig({ channel: '#a b' }, false, {})).toThrow(/^channel: must be #/);
  });

  it('gives each nick a stable colour, and none when colour is off', () => {
    const paint = nickColorizer(true);
    expect(paint('alice')).toMatch(/^\x1b\[\d+malice\x1b\[0m$/);
    expect(paint('alice')).toBe(paint('ALICE'.toLowerCase()));
    expect(nickColorizer(false)('alice')).toBe('alice');
  });
});
