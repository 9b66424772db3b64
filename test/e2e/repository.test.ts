// The image repository in a real Chromium (issue 22): from the empty catalogue to an installed
// image, its task's progress live, then an update once the index changes. The repository is a
// folder made by `hangar repository build`, served on 127.0.0.1; no host, no guest.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildRepository } from '../../server/services/repository-build.ts';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';

const SCREENSHOTS = new URL('../../test-artifacts/screenshots/', import.meta.url).pathname;

describe('the image repository page, in a real Chromium', { timeout: 10 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let admin: string;
  let dir: string;
  let server: Server;
  let signed: SignedInPage;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wte-repository-'));
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'tiny.qcow2'), '32M']);
    await writeFile(join(dir, 'tiny.qcow2.json'), JSON.stringify({ title: 'Tiny Linux 1', os: 'Tiny', release: '1', arch: 'x86_64', default_user: 'tiny' }));
    await buildRepository(dir);
    server = createServer((req, res) => {
      const path = normalize(join(dir, new URL(req.url ?? '/', 'http://x').pathname));
      if (!path.startsWith(dir)) return void res.writeHead(404).end();
      stat(path).then(
        (st) => (st.isFile() ? (res.writeHead(200, { 'content-length': st.size }), createReadStream(path).pipe(res)) : res.writeHead(404).end()),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    [t, browser] = await Promise.all([startTestHangar('postgres', { HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8' }, { processes: ['api', 'worker'] }), launchBrowser()]);
    admin = await adminSession(t);
    signed = await signedInPage(browser, t, admin);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('from the empty catalogue to an installed image, then an update once the index changes', async () => {
    const { page, errors } = signed;
    // The first administrator's dashboard: the path to a first VM, nothing done yet on a machine without libvirt here.
    await openPage(page, t, '/', 'Dashboard');
    const path = page.getByRole('region', { name: 'Get to your first VM' });
    const step = (title: string) => path.locator('li').filter({ hasText: title });
    await step('A host to run VMs').getByText('sudo scripts/install-host').waitFor();
    for (const title of ['A host to run VMs', 'An operating system image', 'Your first VM']) assert.equal(await step(title).getAttribute('data-done'), 'false', title);
    await step('Your first VM').getByRole('link', { name: 'Create a VM' }).waitFor();
    await step('An operating system image').getByRole('link', { name: 'Open the image repository' }).click();
    await page.getByRole('heading', { level: 1, name: 'Image repository' }).waitFor();
    await openPage(page, t, '/images', 'Images');
    await page.getByRole('region', { name: 'No images yet' }).getByRole('link', { name: 'Open the repository' }).click();
    await page.getByRole('heading', { level: 1, name: 'Image repository' }).waitFor();
    // The built-in repository is listed (it has not reached the vendors from here).
    const repositories = page.getByRole('region', { name: 'Repositories' });
    await repositories.locator('tr[data-repository="Cloud images"]').waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Local images');
    await page.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.getByRole('button', { name: 'Add repository' }).click();
    await page.getByText('Local images added: 1 new, 0 updated.').waitFor();

    const row = page.locator('tr[data-repository-image="tiny"]');
    await row.getByText('Tiny Linux 1').waitFor();
    await row.getByText('not installed').waitFor();
    await row.getByRole('button', { name: 'Install' }).click();
    // The install's task, live: Download then Inspect, done.
    const card = page.locator('details.task[data-operation="image.import"]').first();
    await card.waitFor();
    await page.locator('details.task[data-task-status="SUCCEEDED"]').first().waitFor({ timeout: 60_000 });
    await row.getByText('installed', { exact: true }).waitFor();
    await row.getByRole('link', { name: 'Deploy' }).waitFor();
    assert.equal(await row.getByRole('button', { name: /Install|Update/ }).count(), 0);

    // The vendor publishes a new build: after a refresh it is an update.
    const file = join(dir, 'streams/v1/images.json');
    const document = JSON.parse(await readFile(file, 'utf8'));
    const versions = document.products.tiny.versions;
    versions['99991231_2359'] = Object.values(versions)[0];
    await writeFile(file, JSON.stringify(document));
    await repositories.locator('tr[data-repository="Local images"]').getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('Local images: 0 new, 1 updated.').waitFor();
    await row.getByText('update available').waitFor();
    await row.getByRole('button', { name: 'Update' }).click();
    await row.getByText('installed', { exact: true }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${SCREENSHOTS}repository.png`, fullPage: true });

    // Both builds are in the catalogue: the old one stays until it is deleted.
    await openPage(page, t, '/images', 'Images');
    const tiny = page.locator('tr[data-image-id]').filter({ hasText: 'Tiny Linux 1' });
    await tiny.nth(1).waitFor();
    assert.equal(await tiny.count(), 2);
    // Back on the dashboard, the image is ticked off.
    await openPage(page, t, '/', 'Dashboard');
    await path.locator('li[data-done="true"]').filter({ hasText: 'An operating system image' }).waitFor();
    assert.equal(await step('Your first VM').getAttribute('data-done'), 'false');
    await page.screenshot({ path: `${SCREENSHOTS}first-run.png`, fullPage: true });
    assert.deepEqual(errors, []);
  });
});
