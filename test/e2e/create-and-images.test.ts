// A new user's first hour with images and the create form, in a real Chromium against a real
// Hangar (Postgres, Redis): the empty catalogue's help, the upload form, a quota-limited user's
// sizes, one line per refusal, and the create form's image list following the catalogue live.
// No host is registered and no guest boots: images are small files made by qemu-img.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, userWithRole, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { uploadImage } from '../support/images.ts';

const run = promisify(execFile);
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];

describe('images and the create form for a new user, in a real Chromium', { timeout: 10 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let admin: string;
  let dir: string;
  const pages: SignedInPage[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wta-images-'));
    [t, browser] = await Promise.all([startTestHangar('postgres'), launchBrowser()]);
    admin = await adminSession(t);
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'wta-debian-12.qcow2'), '64M']);
    // A raw file needs a partition table to be taken: a qcow2 named .img stands for the second kind of name.
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'wta-alpine.img'), '16M']);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function pageOf(cookie: string): Promise<Page> {
    const signed = await signedInPage(browser, t, cookie);
    pages.push(signed);
    return signed.page;
  }

  test('the empty catalogue explains the ways to get an image, with a button for each', async () => {
    const page = await pageOf(admin);
    await openPage(page, t, '/images', 'Images');
    const help = page.getByRole('region', { name: 'No images yet' });
    await help.waitFor();
    for (const text of ['Upload a disk image', 'Import from a URL', 'Capture a VM']) await help.getByText(text, { exact: true }).waitFor();
    await help.getByRole('link', { name: 'create a VM with a blank disk' }).waitFor();
    await help.getByRole('button', { name: 'Import by URL' }).click();
    await page.getByRole('dialog', { name: 'Import an image by URL' }).getByRole('button', { name: 'Cancel' }).click();
    await help.getByRole('button', { name: 'Capture from a VM' }).click();
    await page.getByRole('dialog', { name: 'Capture an image from a VM' }).getByRole('button', { name: 'Cancel' }).click();
    await help.getByRole('button', { name: 'Upload an image' }).click();
    await page.getByRole('dialog', { name: 'Upload an image' }).waitFor();
    await page.close();
  });

  test('the upload form names the image after its file, clears its error once a file is chosen, and asks who sees it', async () => {
    const page = await pageOf(admin);
    await openPage(page, t, '/images', 'Images');
    await page.getByRole('region', { name: 'No images yet' }).getByRole('button', { name: 'Upload an image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload an image' });
    await dialog.getByRole('button', { name: 'Upload' }).click();
    const missing = dialog.getByText('Choose a qcow2 or raw disk image');
    await missing.waitFor();
    const fileInput = dialog.getByLabel('Disk image (qcow2 or raw)');
    const name = dialog.getByLabel('Name', { exact: true });
    await fileInput.setInputFiles(join(dir, 'wta-debian-12.qcow2'));
    await missing.waitFor({ state: 'detached' });
    assert.equal(await name.inputValue(), 'wta-debian-12');
    // Another file renames an image the user did not name; a name they typed stays.
    await fileInput.setInputFiles(join(dir, 'wta-alpine.img'));
    assert.equal(await name.inputValue(), 'wta-alpine');
    await name.fill('wta Alpine (tiny)');
    await fileInput.setInputFiles(join(dir, 'wta-debian-12.qcow2'));
    assert.equal(await name.inputValue(), 'wta Alpine (tiny)');
    await name.fill('');
    await fileInput.setInputFiles(join(dir, 'wta-alpine.img'));
    assert.equal(await name.inputValue(), 'wta-alpine');
    // Who sees it: an administrator may make it public.
    const visibility = dialog.getByLabel('Who sees it');
    assert.equal(await visibility.inputValue(), 'PRIVATE');
    await visibility.selectOption('PUBLIC');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('wta-alpine was uploaded and checked. Everyone sees it.').waitFor({ timeout: 30_000 });
    await page.getByRole('cell', { name: /wta-alpine/ }).waitFor();
    const { data } = await t.gql('{ images { edges { node { name visibility } } } }', {}, { cookie: admin });
    assert.deepEqual(data.images.edges.map((e: any) => e.node), [{ name: 'wta-alpine', visibility: 'PUBLIC' }]);
    // An ordinary user may not make an image public: the choice says what it needs.
    const user = await userWithRole(t, admin, 'User');
    const userPage = await pageOf(user.cookie);
    await openPage(userPage, t, '/images', 'Images');
    await userPage.getByRole('button', { name: 'Upload', exact: true }).click();
    const everyone = userPage.getByRole('dialog', { name: 'Upload an image' }).getByRole('option', { name: 'Everyone (needs Image.Manage)' });
    assert.equal(await everyone.isDisabled(), true);
    await page.close();
    await userPage.close();
  });

  test('a quota-limited user: sizes over the quota are marked with why and not chosen, and numbers read as written', async () => {
    const user = await userWithRole(t, admin, 'User');
    const quota = await t.gql('mutation($id: ID!, $q: QuotaInput!) { setQuota(userId: $id, input: $q) { __typename } }', { id: user.id, q: { maxVcpus: 2, maxMemoryMb: 2560, maxVms: 3 } }, { cookie: admin });
    assert.equal(quota.data.setQuota.__typename, 'Quota');
    // A VM they already have (a row only: no host, no guest) takes 1 vCPU and 1 GiB of it.
    const now = new Date();
    await t.hangar.db
      .insertInto('vms')
      .values({ name: 'wta-existing', owner_id: rawId(user.id), host_id: null, image_id: null, vcpus: 1, memory_mb: 1024, disk_gb: 10, iso_path: null, state_message: null, mac_address: null, state: 'stopped', created_at: now, updated_at: now })
      .execute();
    const page = await pageOf(user.cookie);
    await openPage(page, t, '/vms/new', 'Create a virtual machine');
    const quotaLine = page.getByTestId('quota');
    await quotaLine.getByText('Left now').waitFor();
    assert.equal((await quotaLine.textContent())?.trim(), 'Your quota: 2 vCPUs · 2.5 GiB memory · ∞ disk · 3 VMs. Left now: 1 vCPU · 1.5 GiB memory · ∞ disk · 2 VMs.');
    const preset = (id: string) => page.locator(`label.preset[data-preset="${id}"]`);
    // The first size the quota allows is chosen; Small (2 GiB) is not, and says why.
    await page.waitForFunction(() => (document.querySelector('input[name="preset"][value="xs"]') as HTMLInputElement | null)?.checked === true);
    assert.match((await preset('xs').textContent()) ?? '', /1 vCPU · 768 MiB · 4 GiB$/);
    assert.equal(await preset('xs').locator('input').isChecked(), true);
    assert.equal(await preset('s').locator('input').isChecked(), false);
    assert.equal(await preset('s').locator('input').isDisabled(), true);
    assert.match((await preset('s').textContent()) ?? '', /1 vCPU · 2 GiB · 20 GiB\s*Over your quota: only 1\.5 GiB memory left/);
    assert.match((await preset('m').textContent()) ?? '', /2 vCPUs · 4 GiB · 40 GiB\s*Over your quota: only 1 vCPU, 1\.5 GiB memory left/);
    assert.match((await preset('l').textContent()) ?? '', /Over your quota: only 1 vCPU, 1\.5 GiB memory left/);

    // Asked for more anyway (Custom): the refusal names every dimension over, once.
    await page.getByLabel('Name', { exact: true }).fill('wta-big');
    // A blank disk (the public image the upload test made would ask for a password first).
    await page.getByLabel('Image', { exact: true }).selectOption({ label: 'No image (blank disk)' });
    await preset('custom').click();
    await page.getByLabel('vCPUs', { exact: true }).fill('4');
    await page.getByLabel('Memory (MiB)', { exact: true }).fill('4096');
    await page.getByRole('button', { name: 'Create VM' }).click();
    const refusal = 'Over your quota: vCPUs need 4, 1 left; memory needs 4 GiB, 1.5 GiB left';
    await page.getByText(refusal).first().waitFor();
    assert.equal(await page.getByText(refusal).count(), 1);
    // Within the quota, but no host has room (none is registered): the server's sentence, once.
    await preset('xs').click();
    await page.getByRole('button', { name: 'Create VM' }).click();
    await page.getByText('No online host has room for 1 vCPU and 768 MiB of memory', { exact: true }).waitFor();
    assert.doesNotMatch((await page.locator('form').textContent()) ?? '', /No host has room/);
    await page.close();
  });

  test('an image added through the API appears in the create form without a reload, and leaves when deleted', async () => {
    const page = await pageOf(admin);
    await openPage(page, t, '/vms/new', 'Create a virtual machine');
    const select = page.getByLabel('Image', { exact: true });
    await select.locator('option', { hasText: 'wta-alpine' }).waitFor({ state: 'attached' });
    const added = await uploadImage(t, admin, join(dir, 'wta-debian-12.qcow2'), { name: 'wta-arrived-live' });
    await select.locator('option', { hasText: 'wta-arrived-live' }).waitFor({ state: 'attached', timeout: 10_000 });
    await t.gql('mutation($id: ID!) { deleteImage(id: $id) { __typename } }', { id: added.id }, { cookie: admin });
    await select.locator('option', { hasText: 'wta-arrived-live' }).waitFor({ state: 'detached', timeout: 10_000 });
    assert.deepEqual(pages.flatMap((p) => p.errors), []);
    await page.close();
  });
});
