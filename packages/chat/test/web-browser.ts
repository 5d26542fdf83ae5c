// The callbacks given to page.evaluate run in the browser, on its DOM: type them with it.
/// <reference lib="dom" />
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect, onTestFinished } from 'vitest';
import { programsForTests } from './terminal-clients.js';

/** Debian's Chromium (package `chromium`), the browser the web client's tests drive. */
export const CHROMIUM = '/usr/bin/chromium';

export const browserStatus = programsForTests([{ command: 'chromium', apt: 'chromium' }]);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
}

/** One person in the web client: a page of its own (own storage), its dialogs recorded. */
export interface WebUser {
  readonly page: Page;
  /** Every alert/confirm/prompt the page tried to open: an injected script would show up here. */
  readonly dialogs: string[];
}

/** Open the client at `url`, log in as `nick` and wait for `connected` and the first channel. */
export async function openClient(browser: Browser, url: string, nick: string, password = ''): Promise<WebUser> {
  const context = await browser.newContext();
  onTestFinished(() => context.close());
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  await page.getByTestId('nick').fill(nick);
  if (password) await page.getByTestId('password').fill(password);
  await page.getByTestId('connect').click();
  await eventually(() => status(page)).toBe('connected');
  return { page, dialogs };
}

/**
 * expect.poll with room for a busy machine: it returns as soon as the value matches, so the timeout only bounds a
 * failure, never slows a pass.
 */
export function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000, interval: 25 });
}

export function title(page: Page): Promise<string | null> {
  return page.locator('#title').textContent();
}

export function status(page: Page): Promise<string | null> {
  return page.getByTestId('status').textContent();
}

/** Type a line into the input and press Enter. */
export async function type(page: Page, line: string): Promise<void> {
  const input = page.getByTestId('message');
  await input.fill(line);
  await input.press('Enter');
}

/** The message list's lines as `nick|text` (data-nick, then the text shown), for exact comparison. */
export function lines(page: Page): Promise<string[]> {
  return page
    .getByTestId('messages')
    .locator('li')
    .evaluateAll((items) =>
      items.map((item) => `${(item as HTMLElement).dataset['nick']}|${item.querySelector('.text')?.textContent}`),
    );
}

/** The channel list as `name:unread`. */
export function channels(page: Page): Promise<string[]> {
  return page
    .getByTestId('channels')
    .locator('li')
    .evaluateAll((items) =>
      items.map((item) => `${(item as HTMLElement).dataset['channel']}:${(item as HTMLElement).dataset['unread']}`),
    );
}

export function members(page: Page): Promise<string[]> {
  return page
    .getByTestId('members')
    .locator('li')
    .evaluateAll((items) => items.map((item) => item.textContent ?? ''));
}

/** Join through the join field; resolves once the channel is the one in view. */
export async function joinChannel(page: Page, channel: string): Promise<void> {
  await page.getByTestId('join').fill(channel);
  await page.getByTestId('join').press('Enter');
  await eventually(() => title(page)).toBe(channel);
}
