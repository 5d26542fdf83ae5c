import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openChatStore, type ChatStore, type StoredMessage } from '../src/db/chat-store.js';
import type { HistoryRange } from '../src/db/history-range.js';
import { openMemoryStore } from '../src/db/memory-store.js';
import { tempDir } from './helpers.js';

const KEEP = 3;

/** --no-persist uses the memory store; everything a server reads from it must match the SQLite store. */
const stores: [string, (keep: number) => ChatStore][] = [
  ['SQLite', () => openChatStore(join(tempDir(), 'chat.db'))],
  ['memory', (keep) => openMemoryStore(keep)],
];

const message = (at: number, channelKey: string, text: string, msgid: string | null = null): StoredMessage => ({
  at,
  channelKey,
  prefix: 'alice!alice@127.0.0.1',
  command: 'PRIVMSG',
  text,
  msgid,
  // Messages with a msgid were sent logged in, in these tests: both kinds must come back as they went in.
  account: msgid === null ? null : 'alice',
});

describe.each(stores)('%s store', (_name, open) => {
  /** `keep`: how many per channel the memory store keeps (SQLite keeps all). */
  function store(keep = KEEP): ChatStore {
    const opened = open(keep);
    onTestFinished(() => opened.close());
    return opened;
  }

  it('returns the newest messages of a channel, oldest first, and prunes by time', () => {
    const s = store();
    for (let i = 1; i <= 10; i += 1) s.record(message(i * 1000, i % 2 === 0 ? '#even' : '#odd', `m${i}`));
    expect(s.recent('#even', KEEP).map((m) => m.text)).toEqual(['m6', 'm8', 'm10']);
    expect(s.recent('#odd', KEEP)).toEqual([
      message(5000, '#odd', 'm5'),
      message(7000, '#odd', 'm7'),
      message(9000, '#odd', 'm9'),
    ]);
    expect(s.recent('#odd', 0)).toEqual([]);
    expect(s.recent('#none', KEEP)).toEqual([]);
    s.pruneBefore(8000);
    expect(s.recent('#even', KEEP).map((m) => m.text)).toEqual(['m8', 'm10']);
    expect(s.recent('#odd', KEEP).map((m) => m.text)).toEqual(['m9']);
    s.pruneBefore(20_000);
    expect(s.recent('#even', KEEP)).toEqual([]);
  });

  it('keeps bans and mutes until lifted or expired, replacing one with the same key', () => {
    const s = store();
    s.putBan({ mask: 'bob!*@*', reason: 'spam', setBy: 'op', setAt: 1, expiresAt: null });
    s.putBan({ mask: 'eve!*@*', reason: 'x', setBy: 'op', setAt: 1, expiresAt: 5000 });
    s.putBan({ mask: 'eve!*@*', reason: 'longer', setBy: 'op', setAt: 2, expiresAt: 9000 });
    expect(s.activeBans(6000)).toEqual([
      { mask: 'bob!*@*', reason: 'spam', setBy: 'op', setAt: 1, expiresAt: null },
      { mask: 'eve!*@*', reason: 'longer', setBy: 'op', setAt: 2, expiresAt: 9000 },
    ]);
    expect(s.activeBans(9000).map((b) => b.mask)).toEqual(['bob!*@*']);
    expect(s.removeBan('bob!*@*')).toBe(true);
    expect(s.removeBan('bob!*@*')).toBe(false);
    s.putMute({ nickKey: 'carol', nick: 'Carol', setBy: 'op', setAt: 1, expiresAt: 3000 });
    expect(s.activeMutes(2999)).toEqual([{ nickKey: 'carol', nick: 'Carol', setBy: 'op', setAt: 1, expiresAt: 3000 }]);
    expect(s.activeMutes(3000)).toEqual([]);
    expect(s.removeMute('carol')).toBe(true);
    expect(s.removeMute('carol')).toBe(false);
  });

  it('answers CHATHISTORY ranges by msgid and time, exclusive, counted from either end, oldest first', () => {
    const s = store(10);
    // a..f, two in the same millisecond; a message of another channel in between.
    const times = [1000, 2000, 3000, 3000, 4000, 5000];
    times.forEach((at, i) => {
      const id = 'abcdef'[i]!;
      s.record(message(at, '#c', `m-${id}`, id));
      if (i === 2) s.record(message(3000, '#other', 'elsewhere', 'x'));
    });
    s.record(message(6000, '#c', 'no id'));
    const texts = (range: HistoryRange) => s.range('#c', range).map((m) => m.text.replace('m-', ''));
    expect(s.find('#c', 'c')).toEqual(message(3000, '#c', 'm-c', 'c'));
    expect(s.find('#other', 'c')).toBeUndefined();
    expect(s.find('#c', 'x')).toBeUndefined();
    expect(texts({ limit: 2, from: 'newest' })).toEqual(['f', 'no id']);
    expect(texts({ limit: 2, from: 'oldest' })).toEqual(['a', 'b']);
    expect(texts({ after: { msgid: 'b' }, limit: 2, from: 'oldest' })).toEqual(['c', 'd']);
    expect(texts({ before: { msgid: 'e' }, limit: 2, from: 'newest' })).toEqual(['c', 'd']);
    expect(texts({ after: { at: 3000 }, limit: 10, from: 'oldest' })).toEqual(['e', 'f', 'no id']);
    expect(texts({ before: { at: 3000 }, limit: 10, from: 'newest' })).toEqual(['a', 'b']);
    expect(texts({ after: { msgid: 'a' }, before: { msgid: 'e' }, limit: 2, from: 'oldest' })).toEqual(['b', 'c']);
    expect(texts({ after: { msgid: 'a' }, before: { msgid: 'e' }, limit: 2, from: 'newest' })).toEqual(['c', 'd']);
    expect(texts({ after: { at: 1000 }, before: { msgid: 'd' }, limit: 10, from: 'oldest' })).toEqual(['b', 'c']);
    expect(texts({ after: { msgid: 'c' }, before: { at: 5000 }, limit: 10, from: 'newest' })).toEqual(['d', 'e']);
    // The channel's own msgids only; an unknown one bounds an empty range.
    expect(texts({ after: { msgid: 'x' }, limit: 10, from: 'oldest' })).toEqual([]);
    expect(texts({ before: { msgid: 'nonesuch' }, limit: 10, from: 'newest' })).toEqual([]);
    expect(texts({ limit: 0, from: 'newest' })).toEqual([]);
    expect(s.range('#none', { limit: 10, from: 'newest' })).toEqual([]);
    expect(s.recent('#c', 1)).toEqual([message(6000, '#c', 'no id')]);
  });
});

describe('memory store history', () => {
  it('answers CHATHISTORY from the newest messages it keeps per channel, as it replays them', () => {
    const s = openMemoryStore(KEEP);
    onTestFinished(() => s.close());
    for (let i = 1; i <= 7; i += 1) s.record(message(i * 1000, '#c', `m${i}`, `id${i}`));
    expect(s.range('#c', { limit: 10, from: 'oldest' }).map((m) => m.text)).toEqual(['m5', 'm6', 'm7']);
    expect(s.find('#c', 'id4')).toBeUndefined();
    expect(s.find('#c', 'id5')).toEqual(message(5000, '#c', 'm5', 'id5'));
  });
});
