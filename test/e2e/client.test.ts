import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestHangar, type TestHangar } from '../support/hangar.ts';

// CI keeps these as artifacts; the README names the folder.
export const SCREENSHOTS = new URL('../../test-artifacts/screenshots/', import.meta.url).pathname;

describe('the web client in a real Chromium', () => {
  let hangar: TestHangar;
  let browser: Browser;
  let page: Page;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    hangar = await startTestHangar('postgres');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    await hangar?.stop();
  });

  test('first run: the administrator is created and signed in', async () => {
    await page.goto(hangar.url);
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Name').fill('Grace Hopper');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.locator('#password-error').getByText('at least 10 characters').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}setup-error.png` });
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    assert.match((await page.getByTestId('privileges').textContent()) ?? '', /User_Manage/);
    await page.screenshot({ path: `${SCREENSHOTS}who-am-i.png` });
  });

  test('log out, a wrong password shows the error, the right one signs in', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is wrong').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}login-error.png` });
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    // The session lives in an httpOnly cookie the page's scripts cannot read.
    assert.equal(await page.evaluate(() => document.cookie), '');
    await page.setViewportSize({ width: 390, height: 800 });
    await page.screenshot({ path: `${SCREENSHOTS}who-am-i-phone.png` });
  });
});
