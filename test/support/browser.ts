// A real Chromium for the client's tests: launched headless, a page signed in with a session
// cookie from the API (no need to click through sign-in in every file), and the page's script
// errors collected so a test can assert there were none.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestHangar } from './hangar.ts';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface SignedInPage {
  context: BrowserContext;
  page: Page;
  /** Script errors the page raised so far. */
  errors: string[];
}

/** A new context and page carrying the session `cookie` (as `login` in hangar.ts returns it: "name=value"). */
export async function signedInPage(browser: Browser, t: TestHangar, cookie: string, options: { width?: number; height?: number } = {}): Promise<SignedInPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, colorScheme: 'light' });
  const [name, ...value] = cookie.split('=');
  await context.addCookies([{ name, value: value.join('='), url: t.url, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/** Opens a path of the client and waits for its main heading. */
export async function openPage(page: Page, t: TestHangar, path: string, heading: string | RegExp): Promise<void> {
  await page.goto(t.url + path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}
