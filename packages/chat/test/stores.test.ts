import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openChatStore, type ChatStore, type StoredMessage } from '../src/db/chat-store.js';
import { openMemoryStore } from '../src/db/memory-store.js';
import { tempDir } from './helpers.js';

const KEEP = 3;

/** --no-persist uses the memory store; everything a server reads from it must match the SQLite store. */
const stores: [string, () => ChatStore][] = [
  ['SQLite', () => openChatStore(join(tempDir(), 'chat.db'))],
  ['memory', () => openMemoryStore(KEEP)],
];

const message = (at: number, channelKey: string, text: string): StoredMessage => ({
  at,
  channelKey,
  prefix: 'alice!alice@127.0.0.1',
  command: 'PRIVMSG',
  text,
});

describe.each(stores)('%s store', (_name, open) => {
  function store(): ChatStore {
    const opened = open();
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
});
