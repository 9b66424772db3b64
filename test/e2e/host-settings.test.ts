// The host page edits every setting of a host, in a real Chromium against a real Hangar and
// libvirtd: a bad value is refused under its field and changes nothing; a good one is saved and
// shown. The network choices are the host's own libvirt networks, and "none" is one of them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { removeNetwork } from '../support/deploy.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { virsh } from '../support/libvirt.ts';

const NET = { name: 'hangar-hs', cidr: '192.168.254.0/24' };

describe('the host settings form in a real Chromium', () => {
  let t: TestHangar;
  let browser: Browser;
  let s: SignedInPage;
  let hostId: string;
  let admin: string;

  before(async () => {
    await removeNetwork(NET);
    [t, browser] = await Promise.all([
      startTestHangar('postgres', { HANGAR_LOCAL_NETWORK: NET.name, HANGAR_LOCAL_NETWORK_CIDR: NET.cidr }, { processes: ['api'], registerLocalHost: true }),
      launchBrowser(),
    ]);
    admin = await adminSession(t);
    hostId = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    s = await signedInPage(browser, t, admin);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await removeNetwork(NET);
  });

  const settings = async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { settings { cpuOvercommit memoryOvercommit concurrency network { kind name } } } } }`, { id: hostId }, { cookie: admin })).data.node.settings;

  test('a bad value stands under its field and changes nothing; good values are saved and shown', async () => {
    const { page } = s;
    await openPage(page, t, `/hosts/${encodeURIComponent(hostId)}`, 'local');
    await page.getByText(`libvirt network ${NET.name}`).first().waitFor();
    await page.getByRole('button', { name: 'Edit settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings of local' });
    // The host's running networks are the choices, and the current one is chosen.
    const choices = await dialog.getByLabel('VM network').locator('option').allTextContents();
    assert.ok(choices.includes(`libvirt network ${NET.name}`), choices.join(' | '));
    assert.ok(choices.some((c) => /^None/.test(c)), choices.join(' | '));
    assert.equal(await dialog.getByLabel('VM network').inputValue(), `NETWORK:${NET.name}`);

    await dialog.getByLabel('CPU overcommit').fill('0');
    await dialog.getByLabel('Operations at once').fill('2');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#hs-cpu-error').waitFor();
    assert.equal((await settings()).concurrency, 4, 'a refused form saved nothing');

    await dialog.getByLabel('CPU overcommit').fill('3');
    await dialog.getByLabel('Memory overcommit').fill('1.5');
    await dialog.getByLabel('VM network').selectOption({ label: 'None: new VMs get no network card' });
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('none: new VMs get no network card').waitFor();
    assert.deepEqual(await settings(), { cpuOvercommit: 3, memoryOvercommit: 1.5, concurrency: 2, network: null });

    // And back onto the network.
    await page.getByRole('button', { name: 'Edit settings' }).click();
    await dialog.getByLabel('VM network').selectOption({ label: `libvirt network ${NET.name}` });
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual((await settings()).network, { kind: 'NETWORK', name: NET.name });
    assert.deepEqual(s.errors, []);
  });
});
