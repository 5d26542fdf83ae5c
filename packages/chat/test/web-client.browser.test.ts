import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from './exchange.js';
import { RawClient } from './helpers.js';
import { spawnServer } from './processes.js';
import { serverArgs } from './terminal-clients.js';
import {
  browserStatus,
  channels,
  eventually,
  joinChannel,
  launchChromium,
  lines,
  members,
  openClient,
  status,
  title,
  type,
} from './web-browser.js';

// The web client in a real Chromium, against the real chat-server bin serving it with --web.
if (!browserStatus.available) console.warn(`chat web client browser tests ${browserStatus.reason}`);

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function webServer() {
  const server = await spawnServer([...serverArgs, '--ws-port', '0', '--web']);
  return { ...server, url: `http://127.0.0.1:${server.wsPort}/` };
}

/** What people said (joins, parts and other events left out). */
function said(page: Page): Promise<string[]> {
  return page
    .getByTestId('messages')
    .locator('li.message, li.action')
    .evaluateAll((items) =>
      items.map((item) => `${(item as HTMLElement).dataset['nick']}|${item.querySelector('.text')?.textContent}`),
    );
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
    await eventually(() => members(alice.page)).toEqual(['@alice', 'bob', 'carol']);

    await type(alice.page, 'hello from alice');
    await tcp.next(/^:alice!alice@127\.0\.0\.1 PRIVMSG #room :hello from alice$/);
    await type(bob.page, 'hi from bob');
    await tcp.next(/^:bob!bob@127\.0\.0\.1 PRIVMSG #room :hi from bob$/);
    tcp.send('PRIVMSG #room :carol here');

    const expected = ['alice|hello from alice', 'bob|hi from bob', 'carol|carol here'];
    await eventually(() => said(alice.page)).toEqual(expected);
    await eventually(() => said(bob.page)).toEqual(expected);
    expect(await lines(bob.page)).toContain('carol|carol joined #room');
    expect(await channels(bob.page)).toEqual(['*server*:0', '#lobby:0', '#room:0']);
  });

  it('shows markup as text: no script runs, no element is made; only http(s) links are links', async () => {
    const server = await webServer();
    const alice = await openClient(browser, server.url, 'alice');
    const bob = await openClient(browser, server.url, 'bob');
    await joinChannel(alice.page, '#x');
    await joinChannel(bob.page, '#x');
    const tcp = await RawClient.register(server.port!, 'mallory');
    await tcp.join('#x');
    const script = '<script>alert(1)</script>';
    const img = '<img src=x onerror=alert(1)>';
    await type(alice.page, script);
    await type(alice.page, img);
    tcp.send(`PRIVMSG #x :${img} ${script}`);
    tcp.send('PRIVMSG #x :javascript:alert(1) and https://example.org/a?b=1&c=d.');

    const expected = [
      `alice|${script}`,
      `alice|${img}`,
      `mallory|${img} ${script}`,
      'mallory|javascript:alert(1) and https://example.org/a?b=1&c=d.',
    ];
    await eventually(() => said(bob.page)).toEqual(expected);
    await eventually(() => said(alice.page)).toEqual(expected);
    for (const { page, dialogs } of [alice, bob]) {
      const messages = page.getByTestId('messages');
      expect(await messages.locator('img, script, i').count()).toBe(0);
      const links = await messages
        .locator('a')
        .evaluateAll((anchors) =>
          anchors.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target'), a.textContent]),
        );
      expect(links).toEqual([
        ['https://example.org/a?b=1&c=d', 'noopener noreferrer', '_blank', 'https://example.org/a?b=1&c=d'],
      ]);
      expect(dialogs).toEqual([]);
    }

    // The topic, the channel list and the member list are text too.
    await type(alice.page, `/topic ${img}`);
    await eventually(() => bob.page.getByTestId('topic').textContent()).toBe(img);
    await type(bob.page, '/join #<i>x</i>');
    await eventually(() => title(bob.page)).toBe('#<i>x</i>');
    await eventually(() => channels(bob.page)).toEqual(['*server*:0', '#lobby:0', '#x:0', '#<i>x</i>:0']);
    for (const { page, dialogs } of [alice, bob]) {
      expect(await page.locator('body img, body script, body i').count()).toBe(0);
      expect(dialogs).toEqual([]);
    }
  });

  it('reconnects after a server restart: disconnected, retrying, then back in its channel', async () => {
    const first = await webServer();
    const wsPort = String(first.wsPort);
    const alice = await openClient(browser, first.url, 'alice');
    await joinChannel(alice.page, '#stay');
    first.child.kill('SIGKILL');
    await first.exited;
    await eventually(() => status(alice.page)).toMatch(/^disconnected, retrying in \d+s$/);

    const second = await spawnServer([...serverArgs, '--ws-port', wsPort, '--web']);
    await eventually(() => status(alice.page)).toBe('connected');
    await eventually(() => title(alice.page)).toBe('#stay');
    const tcp = await RawClient.register(second.port!, 'bob');
    await tcp.join('#stay');
    await eventually(() => members(alice.page)).toEqual(['@alice', 'bob']);
    await type(alice.page, 'back again');
    expect(await tcp.next(/ PRIVMSG /)).toBe(':alice!alice@127.0.0.1 PRIVMSG #stay :back again');
    expect(await channels(alice.page)).toEqual(['*server*:0', '#lobby:0', '#stay:0']);
  });

  it('sends the exact CSP; an injected inline script is refused and does not run', async () => {
    const server = await webServer();
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    const violation = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), {
            once: true,
          });
          const script = document.createElement('script');
          script.textContent = 'document.body.dataset.injected = "ran"';
          document.body.append(script);
        }),
    );
    expect(violation).toBe('script-src-elem');
    expect(await page.evaluate(() => document.body.dataset['injected'])).toBeUndefined();
    await context.close();
  });

  it('counts unread messages of a channel not in view, and clears them when it is opened', async () => {
    const server = await webServer();
    const alice = await openClient(browser, server.url, 'alice');
    await joinChannel(alice.page, '#quiet');
    await joinChannel(alice.page, '#busy');
    await joinChannel(alice.page, '#here');
    const tcp = await RawClient.register(server.port!, 'bob');
    await tcp.join('#busy');
    await tcp.join('#quiet');
    tcp.send('PRIVMSG #busy :one', 'PRIVMSG #busy :two', 'PRIVMSG #quiet :three', 'PRIVMSG alice :psst');
    await eventually(() => channels(alice.page)).toEqual([
      '*server*:0',
      '#lobby:0',
      '#quiet:1',
      '#busy:2',
      '#here:0',
      'bob:1',
    ]);
    expect(await alice.page.locator('[data-channel="#busy"] .unread').textContent()).toBe('2');
    await alice.page.locator('[data-channel="#busy"] button.name').click();
    await eventually(() => title(alice.page)).toBe('#busy');
    expect(await channels(alice.page)).toEqual(['*server*:0', '#lobby:0', '#quiet:1', '#busy:0', '#here:0', 'bob:1']);
    expect(await said(alice.page)).toEqual(['bob|one', 'bob|two']);
  });

  it('logs in to an account with SASL PLAIN; a wrong password returns to the form with the reason', async () => {
    const server = await webServer();
    const owner = await RawClient.register(server.port!, 'ada');
    expect(await exchange(owner, 'REGISTER * * :correct horse')).toEqual([
      ':quartet.local REGISTER SUCCESS ada :Account created',
      ':quartet.local 900 ada ada!ada@127.0.0.1 ada :You are now logged in as ada',
    ]);
    owner.send('QUIT');
    await owner.closed;

    const ada = await openClient(browser, server.url, 'ada', 'correct horse');
    const tcp = await RawClient.register(server.port!, 'bob');
    expect((await exchange(tcp, 'WHOIS ada')).filter((line) => / 330 /.test(line))).toEqual([
      ':quartet.local 330 bob ada ada :is logged in as',
    ]);
    expect(ada.dialogs).toEqual([]);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('nick').fill('ada');
    await page.getByTestId('password').fill('wrong horse');
    await page.getByTestId('connect').click();
    await eventually(() => page.locator('#login-error').textContent()).toBe('Login failed: SASL authentication failed');
    expect(await page.getByTestId('connect').isVisible()).toBe(true);
    expect(await status(page)).toBe('disconnected');
    await context.close();
  });

  it('fetches the latest history on join and older pages when scrolled to the top (draft/chathistory)', async () => {
    const server = await webServer();
    // Seven talkers, eight lines each (within each one's flood burst): 56 lines, more than one page of 50.
    for (let talker = 0; talker < 7; talker += 1) {
      const tcp = await RawClient.register(server.port!, `t${talker}`);
      await tcp.join('#hist');
      tcp.send(...Array.from({ length: 8 }, (_, i) => `PRIVMSG #hist :line ${talker * 8 + i + 1}`));
      await tcp.sync();
    }
    const alice = await openClient(browser, server.url, 'alice');
    await joinChannel(alice.page, '#hist');
    const texts = () => said(alice.page).then((all) => all.map((line) => line.split('|')[1]));
    const numbered = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);
    await eventually(texts).toEqual(numbered(7, 56));
    await alice.page.getByTestId('messages').evaluate((list) => list.scrollTo(0, 0));
    await eventually(texts).toEqual(numbered(1, 56));
    // The older lines went in above: the list stays over the lines that were in view instead of jumping to the top.
    expect(await alice.page.getByTestId('messages').evaluate((list) => list.scrollTop)).toBeGreaterThan(0);
    expect((await said(alice.page))[0]).toBe('t0|line 1');
  });

  it('runs /commands from the input line: /join /me /topic /msg /kick /part /nick, /quit, and says so for unknown ones', async () => {
    const server = await webServer();
    const alice = await openClient(browser, server.url, 'alice');
    const bob = await openClient(browser, server.url, 'bob');
    const carol = await RawClient.register(server.port!, 'carol');

    await type(alice.page, '/join #cmd');
    await eventually(() => title(alice.page)).toBe('#cmd');
    await type(bob.page, '/join cmd');
    await eventually(() => title(bob.page)).toBe('#cmd');
    await carol.join('#cmd');
    await eventually(() => members(alice.page)).toEqual(['@alice', 'bob', 'carol']);

    await type(alice.page, '/me dances');
    expect(await carol.next(/ PRIVMSG /)).toBe(':alice!alice@127.0.0.1 PRIVMSG #cmd :\x01ACTION dances\x01');
    await eventually(() => said(bob.page)).toEqual(['alice|dances']);
    expect(await bob.page.locator('li.action .nick').textContent()).toBe('* alice');

    await type(alice.page, '/topic plans for today');
    expect(await carol.next(/ TOPIC /)).toBe(':alice!alice@127.0.0.1 TOPIC #cmd :plans for today');
    await eventually(() => bob.page.getByTestId('topic').textContent()).toBe('plans for today');

    await type(alice.page, '/msg bob a private word');
    await eventually(() => channels(bob.page)).toEqual(['*server*:0', '#lobby:0', '#cmd:0', 'alice:1']);
    await bob.page.locator('[data-channel="alice"] button.name').click();
    await eventually(() => said(bob.page)).toEqual(['alice|a private word']);

    await type(alice.page, '/kick carol behave');
    expect(await carol.next(/ KICK /)).toBe(':alice!alice@127.0.0.1 KICK #cmd carol :behave');
    await eventually(() => members(alice.page)).toEqual(['@alice', 'bob']);

    // A member's name opens the private conversation with them.
    await alice.page.getByTestId('members').locator('li[data-nick="bob"]').click();
    await eventually(() => title(alice.page)).toBe('bob');
    await type(alice.page, 'from the member list');
    await eventually(() => said(bob.page)).toEqual(['alice|a private word', 'alice|from the member list']);
    await alice.page.locator('[data-channel="#cmd"] button.name').click();
    await eventually(() => title(alice.page)).toBe('#cmd');

    await bob.page.locator('[data-channel="#cmd"] button.name').click();
    await type(bob.page, '/part');
    await eventually(() => channels(bob.page)).toEqual(['*server*:0', '#lobby:0', 'alice:0']);
    await eventually(() => members(alice.page)).toEqual(['@alice']);

    await type(alice.page, '/nick alicia');
    await eventually(() => members(alice.page)).toEqual(['@alicia']);
    await type(alice.page, '/frobnicate');
    await eventually(() => lines(alice.page).then((all) => all.at(-1))).toBe(
      '|Unknown command /frobnicate; /help lists the commands',
    );
    expect(await exchange(carol, 'NAMES #cmd')).toEqual([
      ':quartet.local 353 carol = #cmd :@alicia',
      ':quartet.local 366 carol #cmd :End of /NAMES list',
    ]);

    await type(alice.page, '/quit see you');
    await eventually(() => alice.page.getByTestId('connect').isVisible()).toBe(true);
    await eventually(() => exchange(carol, 'WHOIS alicia').then((replies) => replies[0])).toBe(
      ':quartet.local 401 carol alicia :No such nick/channel',
    );
    expect(await status(alice.page)).toBe('disconnected');
  });
});
