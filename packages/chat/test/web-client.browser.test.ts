import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './helpers.js';
import { spawnServer } from './processes.js';
import { serverArgs } from './terminal-clients.js';
import { browserStatus, channels, joinChannel, launchChromium, lines, members, openClient, status, type } from './web-browser.js';

// The web client in a real Chromium, against the real chat-server bin serving it with --web.
if (!browserStatus.available) console.warn(`chat web client browser tests ${browserStatus.reason}`);

async function webServer(extra: string[] = []) {
  const server = await spawnServer([...serverArgs, '--ws-port', '0', '--web', ...extra]);
  return { ...server, url: `http://127.0.0.1:${server.wsPort}/` };
}

describe.skipIf(!browserStatus.available)('the web client in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('two pages and a TCP client talk in one channel; each sees the others, by nick', async () => {
    const server = await webServer();
    const alice = await openClient(browser, server.url, 'alice');
    const bob = await openClient(browser, server.url, 'bob');
    await joinChannel(alice.page, '#room');
    await joinChannel(bob.page, '#room');
    const tcp = await RawClient.register(server.port!, 'carol');
    await tcp.join('#room');
    await expect.poll(() => members(alice.page)).toEqual(['@alice', 'bob', 'carol']);

    await type(alice.page, 'hello from alice');
    await tcp.next(/^:alice!alice@127\.0\.0\.1 PRIVMSG #room :hello from alice$/);
    await type(bob.page, 'hi from bob');
    await tcp.next(/^:bob!bob@127\.0\.0\.1 PRIVMSG #room :hi from bob$/);
    tcp.send('PRIVMSG #room :carol here');

    const said = (page: typeof alice.page) => lines(page).then((all) => all.filter((line) => !line.includes(' joined ')));
    const expected = ['alice|hello from alice', 'bob|hi from bob', 'carol|carol here'];
    await expect.poll(() => said(alice.page)).toEqual(expected);
    await expect.poll(() => said(bob.page)).toEqual(expected);
    expect(alice.dialogs).toEqual([]);
  });
});
