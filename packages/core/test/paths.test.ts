import { describe, expect, it } from 'vitest';
import { dataDir } from '../src/index.js';

describe('dataDir', () => {
  it.each([
    ['bank', { BANK_DATA_DIR: '/srv/bank', HOME: '/home/ann' }, 'linux', '/srv/bank'],
    ['shop', { SHOP_DATA_DIR: '/srv/shop' }, 'linux', '/srv/shop'],
    ['chat', { CHAT_DATA_DIR: '/srv/chat' }, 'darwin', '/srv/chat'],
    ['filecrypt', { FILECRYPT_DATA_DIR: 'rel/dir' }, 'linux', 'rel/dir'],
    ['bank', { HOME: '/home/ann' }, 'linux', '/home/ann/.local/share/quartet/bank'],
    ['bank', { HOME: '/home/ann', XDG_DATA_HOME: '/data' }, 'linux', '/data/quartet/bank'],
    ['bank', { HOME: '/home/ann', XDG_DATA_HOME: 'relative' }, 'linux', '/home/ann/.local/share/quartet/bank'],
    ['chat', { HOME: '/Users/ann' }, 'darwin', '/Users/ann/Library/Application Support/quartet/chat'],
    ['bank', { HOME: '/home/ann', SHOP_DATA_DIR: '/srv/shop' }, 'linux', '/home/ann/.local/share/quartet/bank'],
  ] as const)('%s with %j on %s is %s', (tool, env, platform, expected) => {
    expect(dataDir(tool, env, platform)).toBe(expected);
  });
});
