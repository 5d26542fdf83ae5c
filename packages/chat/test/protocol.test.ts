import { describe, expect, it } from 'vitest';
import { foldCase, isValidChannel, isValidNick } from '../src/protocol/casemap.js';
import { LineReader } from '../src/protocol/line-reader.js';
import { describeExpiry, parseDuration } from '../src/protocol/duration.js';
import { encodeLine } from '../src/protocol/line-bytes.js';
import { formatMessage, formatTags, parseMessage, parseTags } from '../src/protocol/message.js';
import { renderMessage } from '../src/protocol/render.js';
import { parseInput } from '../src/protocol/user-input.js';
import { maskMatches, normalizeMask } from '../src/server/masks.js';

describe('parseMessage', () => {
  it.each([
    ['PRIVMSG #a :hello there', { command: 'PRIVMSG', params: ['#a', 'hello there'] }],
    [':nick!u@h privmsg bob ::-)', { prefix: 'nick!u@h', command: 'PRIVMSG', params: ['bob', ':-)'] }],
    ['@time=x :srv 001 me :Welcome', { tags: { time: 'x' }, prefix: 'srv', command: '001', params: ['me', 'Welcome'] }],
    [
      '@batch=h1;time=2026-01-01T00:00:00.000Z;x=a\\sb\\:c :n!u@h PRIVMSG #c :hi',
      {
        tags: { batch: 'h1', time: '2026-01-01T00:00:00.000Z', x: 'a b;c' },
        prefix: 'n!u@h',
        command: 'PRIVMSG',
        params: ['#c', 'hi'],
      },
    ],
    ['USER  a   0 * :Real  Name', { command: 'USER', params: ['a', '0', '*', 'Real  Name'] }],
    ['NICK', { command: 'NICK', params: [] }],
    ['TOPIC #a :', { command: 'TOPIC', params: ['#a', ''] }],
  ])('%j', (line, expected) => expect(parseMessage(line)).toEqual(expected));

  it('returns undefined for a line with no command', () => {
    expect(parseMessage('   ')).toBeUndefined();
    expect(parseMessage(':prefix-only')).toBeUndefined();
  });
});

describe('formatMessage and encodeLine', () => {
  it('adds a trailing colon only where needed, or when forced', () => {
    expect(formatMessage({ command: 'JOIN', params: ['#a'] })).toBe('JOIN #a');
    expect(formatMessage({ prefix: 's', command: 'X', params: ['a', 'b c'] })).toBe(':s X a :b c');
    expect(formatMessage({ command: 'X', params: [':x'] })).toBe('X ::x');
    expect(formatMessage({ command: 'X', params: [''] })).toBe('X :');
    expect(formatMessage({ command: 'PRIVMSG', params: ['#a', 'hi'] }, true)).toBe('PRIVMSG #a :hi');
  });

  it('cuts lines to 512 bytes with CR LF without splitting a character', () => {
    expect(encodeLine('abc').toString()).toBe('abc\r\n');
    const long = encodeLine(`${'a'.repeat(509)}é`);
    expect(long.length).toBe(511);
    expect(long.toString()).toBe(`${'a'.repeat(509)}\r\n`);
    expect(encodeLine('b'.repeat(600)).length).toBe(512);
  });
});

describe('LineReader', () => {
  it('joins lines across chunks, accepts LF or CR LF, skips empty lines', () => {
    const reader = new LineReader();
    expect(reader.push(Buffer.from('NICK a\r\nUS'))).toEqual([{ line: 'NICK a' }]);
    expect(reader.push(Buffer.from('ER x\n\r\n\nPING'))).toEqual([{ line: 'USER x' }]);
    expect(reader.push(Buffer.from(' 1\r\n'))).toEqual([{ line: 'PING 1' }]);
  });

  it('reports an overlong line once, as soon as it is known, and recovers at the next LF', () => {
    const reader = new LineReader(16);
    expect(reader.push(Buffer.from('x'.repeat(14) + '\r\n'))).toEqual([{ line: 'x'.repeat(14) }]);
    expect(reader.push(Buffer.from('y'.repeat(15) + '\n'))).toEqual([{ tooLong: true }]);
    expect(reader.push(Buffer.from('z'.repeat(20)))).toEqual([{ tooLong: true }]);
    expect(reader.push(Buffer.from('z'.repeat(1000)))).toEqual([]);
    expect(reader.push(Buffer.from('z\nok\n'))).toEqual([{ line: 'ok' }]);
  });

  it('decodes invalid UTF-8 to U+FFFD, also when a character is split across chunks', () => {
    const reader = new LineReader();
    expect(reader.push(Buffer.from([0x61, 0xe2, 0x82]))).toEqual([]);
    expect(reader.push(Buffer.from([0xac, 0xff, 0x0a]))).toEqual([{ line: 'a€\uFFFD' }]);
  });
});

describe('casemapping and names', () => {
  it.each([
    ['alice', true],
    ['[Bot]|x^_`{}\\-9', true],
    ['9lives', false],
    ['-dash', false],
    ['has space', false],
    ['a'.repeat(30), true],
    ['a'.repeat(31), false],
    ['', false],
    ['ümlaut', false],
  ])('nick %j valid: %s', (nick, valid) => expect(isValidNick(nick)).toBe(valid));

  it.each([
    ['#lobby', true],
    ['#', false],
    ['lobby', false],
    ['#a,b', false],
    ['#a b', false],
    [`#${'c'.repeat(49)}`, true],
    [`#${'c'.repeat(50)}`, false],
  ])('channel %j valid: %s', (name, valid) => expect(isValidChannel(name)).toBe(valid));

  it('folds only A-Z (CASEMAPPING=ascii)', () => {
    expect(foldCase('AbC[]\\~Ä')).toBe('abc[]\\~Ä');
  });

  it('normalises and matches ban masks', () => {
    expect(normalizeMask('eve')).toBe('eve!*@*');
    expect(normalizeMask('*@10.0.0.1')).toBe('*!*@10.0.0.1');
    expect(normalizeMask('e!u')).toBe('e!u@*');
    expect(maskMatches('e?e!*@*', 'eve!eve@127.0.0.1')).toBe(true);
    expect(maskMatches('eve!*@10.*', 'eve!eve@127.0.0.1')).toBe(false);
    expect(maskMatches('a.b!*@*', 'axb!u@h')).toBe(false);
  });
});

describe('renderMessage', () => {
  const time = new Date(2026, 0, 1, 9, 5);
  const r = (line: string, currentChannel?: string) => renderMessage(parseMessage(line)!, { time, currentChannel });
  it.each([
    [':a!u@h PRIVMSG #x :hi', '[09:05] <a> hi'],
    [':a!u@h PRIVMSG #y :hi', '[09:05] #y <a> hi'],
    [':a!u@h PRIVMSG #x :\x01ACTION waves\x01', '[09:05] * a waves'],
    [':a!u@h PRIVMSG me :psst', '[09:05] *a* psst'],
    [':a!u@h NOTICE me :fyi', '[09:05] -a- fyi'],
    [':a!u@h JOIN #x', '[09:05] * a has joined #x'],
    [':a!u@h PART #x :bye', '[09:05] * a has left #x (bye)'],
    [':a!u@h QUIT :Quit: gone', '[09:05] * a has quit (Quit: gone)'],
    [':a!u@h KICK #x b :rude', '[09:05] * b was kicked from #x by a (rude)'],
    [':a!u@h NICK aa', '[09:05] * a is now known as aa'],
    [':a!u@h MODE #x +o b', '[09:05] * a sets mode +o b on #x'],
    [':a!u@h MODE a +o', '[09:05] * a sets mode +o'],
    [':a!u@h INVITE me #y', '[09:05] * a invites you to #y'],
    [':s 341 me bob #x', '[09:05] * bob has been invited to #x'],
    [':s 353 me = #x :@a b', '[09:05] * Users on #x: @a b'],
    [':s 401 me bob :No such nick/channel', '[09:05] ! bob: No such nick/channel'],
    [':s 001 me :Welcome', '[09:05] Welcome'],
    ['ERROR :Closing Link: x (Quit)', '[09:05] ! Closing Link: x (Quit)'],
  ])('%j', (line, expected) => expect(r(line, '#x')).toBe(expected));

  it('hides what people do not need to see', () => {
    for (const line of ['PING :x', ':s 366 me #x :End', ':s 005 me A=1 :are supported', ':s PONG s :t']) {
      expect(r(line)).toBeUndefined();
    }
  });

  it('wraps nicks with the colouring function', () => {
    const text = renderMessage(parseMessage(':a!u@h PRIVMSG #x :hi')!, {
      time,
      currentChannel: '#x',
      nick: (n) => `[${n}]`,
    });
    expect(text).toBe('[09:05] <[a]> hi');
  });
});

describe('parseInput', () => {
  const context = { channel: '#x', isOper: false };
  it.each([
    ['hello', { kind: 'send', messages: [{ command: 'PRIVMSG', params: ['#x', 'hello'] }] }],
    ['//etc', { kind: 'send', messages: [{ command: 'PRIVMSG', params: ['#x', '/etc'] }] }],
    ['/join y', { kind: 'send', messages: [{ command: 'JOIN', params: ['#y'] }] }],
    ['/part', { kind: 'send', messages: [{ command: 'PART', params: ['#x'] }] }],
    ['/part #z so long', { kind: 'send', messages: [{ command: 'PART', params: ['#z', 'so long'] }] }],
    ['/msg bob hi there', { kind: 'send', messages: [{ command: 'PRIVMSG', params: ['bob', 'hi there'] }] }],
    ['/me waves', { kind: 'send', messages: [{ command: 'PRIVMSG', params: ['#x', '\x01ACTION waves\x01'] }] }],
    ['/nick new', { kind: 'send', messages: [{ command: 'NICK', params: ['new'] }] }],
    ['/who', { kind: 'send', messages: [{ command: 'WHO', params: ['#x'] }] }],
    ['/names #q', { kind: 'send', messages: [{ command: 'NAMES', params: ['#q'] }] }],
    ['/kick bob rude', { kind: 'send', messages: [{ command: 'KICK', params: ['#x', 'bob', 'rude'] }] }],
    ['/oper root pw', { kind: 'send', messages: [{ command: 'OPER', params: ['root', 'pw'] }] }],
    ['/mode', { kind: 'send', messages: [{ command: 'MODE', params: ['#x'] }] }],
    ['/mode +k  sesame', { kind: 'send', messages: [{ command: 'MODE', params: ['#x', '+k', 'sesame'] }] }],
    ['/mode #y +l 5', { kind: 'send', messages: [{ command: 'MODE', params: ['#y', '+l', '5'] }] }],
    ['/invite bob', { kind: 'send', messages: [{ command: 'INVITE', params: ['bob', '#x'] }] }],
    ['/invite bob z', { kind: 'send', messages: [{ command: 'INVITE', params: ['bob', '#z'] }] }],
    ['/invite', { kind: 'error', text: 'Usage: /invite nick [#room]' }],
    ['/quit see ya', { kind: 'quit', reason: 'see ya' }],
    ['/quit', { kind: 'quit', reason: 'Leaving' }],
    ['/msg bob', { kind: 'error', text: 'Usage: /msg nick text' }],
    ['/ban eve', { kind: 'send', messages: [{ command: 'BAN', params: ['eve'] }] }],
    ['/ban eve 2h spam bot', { kind: 'send', messages: [{ command: 'BAN', params: ['eve', '2h', 'spam bot'] }] }],
    ['/ban *!*@10.* just bad', { kind: 'send', messages: [{ command: 'BAN', params: ['*!*@10.*', 'just bad'] }] }],
    ['/unban eve!*@*', { kind: 'send', messages: [{ command: 'UNBAN', params: ['eve!*@*'] }] }],
    ['/bans', { kind: 'send', messages: [{ command: 'BANS', params: [] }] }],
    ['/mute eve 10m', { kind: 'send', messages: [{ command: 'MUTE', params: ['eve', '10m'] }] }],
    ['/unmute eve', { kind: 'send', messages: [{ command: 'UNMUTE', params: ['eve'] }] }],
    ['/ban', { kind: 'error', text: 'Usage: /ban nick|mask [duration] [reason]' }],
    ['/bogus', { kind: 'error', text: 'Unknown command /bogus; /help lists the commands' }],
    ['   ', { kind: 'none' }],
  ])('%j', (line, expected) => expect(parseInput(line, context)).toEqual(expected));

  it("makes an operator's /kick a KILL", () => {
    expect(parseInput('/kick bob', { channel: '#x', isOper: true })).toEqual({
      kind: 'send',
      messages: [{ command: 'KILL', params: ['bob', 'Kicked'] }],
    });
  });

  it('needs a current channel for plain lines', () => {
    expect(parseInput('hi', { channel: undefined, isOper: false })).toEqual({
      kind: 'error',
      text: 'You are not in a room; /join #room first',
    });
  });
});

describe('durations and tags', () => {
  it.each([
    ['30s', { ms: 30_000 }],
    ['10m', { ms: 600_000 }],
    ['2h', { ms: 7_200_000 }],
    ['7d', { ms: 604_800_000 }],
    ['1w', { ms: 604_800_000 }],
    ['perm', { ms: null }],
    ['0', { ms: null }],
    ['10', undefined],
    ['spam', undefined],
    ['-1h', undefined],
  ])('parseDuration(%j)', (word, expected) => expect(parseDuration(word)).toEqual(expected));

  it('formats tags with IRCv3 escapes and parses them back', () => {
    const tags = { time: '2026-01-01T00:00:00.000Z', note: 'a b;c\\d', flag: '' };
    expect(formatTags(tags)).toBe('time=2026-01-01T00:00:00.000Z;note=a\\sb\\:c\\\\d;flag');
    expect(parseTags(formatTags(tags))).toEqual(tags);
    expect(describeExpiry(null)).toBe('permanently');
    expect(describeExpiry(Date.UTC(2026, 0, 2, 3, 4, 59))).toBe('until 2026-01-02 03:04 UTC');
  });
});
