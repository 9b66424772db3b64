// A VM's network interfaces and CD-ROM changed from its page in a real Chromium: an ISO uploaded
// from the images page as an ISO, an interface attached with a pool address and given a limit,
// the ISO put into the CD-ROM and the boot order set; each change's task shown on the page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { defineNetwork, removeNetwork } from '../support/deploy.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, virsh, vmMutation, waitFor } from '../support/libvirt.ts';

const run = promisify(execFile);
const NET = { name: 'hangar-nic-web', bridge: 'virbr-nicw', subnet: '10.231.28' };
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

describe('a VM\u2019s interfaces, CD-ROM and boot order from its page in a real Chromium', { timeout: 6 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let s: SignedInPage;
  let admin: string;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-hw-web-'));
    await defineNetwork(NET);
    t = await startTestHangar('postgres', {}, { processes: ['api', 'worker'], registerLocalHost: true });
    browser = await launchBrowser();
    admin = await adminSession(t);
    s = await signedInPage(browser, t, admin);
    const hostId = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    const pool = await t.gql(
      `mutation($input: CreateIpPoolInput!) { createIpPool(input: $input) { __typename ... on Error { message } } }`,
      { input: { hostId, name: 'web-pool', cidr: `${NET.subnet}.0/24`, gateway: null, dns: [], rangeStart: `${NET.subnet}.50`, rangeEnd: `${NET.subnet}.60` } },
      { cookie: admin },
    );
    assert.equal(pool.data.createIpPool.__typename, 'IpPool', JSON.stringify(pool));
    await mkdir(join(dir, 'content'));
    await writeFile(join(dir, 'content', 'readme.txt'), 'tools\n');
    await run('genisoimage', ['-quiet', '-o', join(dir, 'tools.iso'), '-V', 'TOOLS', '-r', join(dir, 'content')]);
  });

  after(async () => {
    await browser?.close();
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await removeNetwork(NET);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('upload an ISO, attach an interface with a pool address and a limit, insert the ISO and boot from it', async () => {
    const { page, errors } = s;
    await openPage(page, t, '/images', 'Images');
    await page.getByRole('button', { name: /Upload/ }).first().click();
    const upload = page.getByRole('dialog', { name: 'Upload an image' });
    await upload.getByLabel('Disk image (qcow2 or raw) or ISO').setInputFiles(join(dir, 'tools.iso'));
    assert.equal(await upload.getByLabel('Kind').inputValue(), 'ISO', 'an .iso file is taken as an ISO');
    await upload.getByRole('button', { name: 'Upload' }).click();
    await page.getByText(/tools was uploaded and checked/).waitFor({ timeout: 30_000 });
    const { data } = await t.gql('{ images(filter: { kind: ISO }) { edges { node { name kind format } } } }', {}, { cookie: admin });
    assert.deepEqual(data.images.edges.map((e: any) => e.node), [{ name: 'tools', kind: 'ISO', format: 'ISO' }]);

    const { vmId, task } = await vmMutation(t, admin, CREATE, { i: { name: 'hw-ui', vcpus: 1, memoryMb: 64, diskGb: 1, start: false } });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    await openPage(page, t, `/vms/${encodeURIComponent(vmId)}`, 'hw-ui');
    const nics = page.getByTestId('vm-interfaces');
    await nics.getByRole('heading', { name: 'Network interfaces' }).waitFor();
    const before = await nics.getByTestId('vm-interface').count();

    await nics.getByRole('button', { name: 'Attach an interface' }).click();
    const attach = page.getByRole('dialog', { name: 'Attach a network interface' });
    await attach.getByLabel('Network').fill(NET.name);
    await attach.getByLabel('Address').selectOption({ label: 'From IP pool web-pool' });
    await attach.getByRole('button', { name: 'Attach' }).click();
    await nics.getByTestId('vm-interface').nth(before).waitFor({ timeout: 60_000 });
    const row = nics.getByTestId('vm-interface').nth(before);
    await row.getByText(`${NET.subnet}.50/24`).waitFor();
    const mac = (await row.locator('td').nth(2).textContent())!.trim();
    await waitFor('the domain to have the new NIC', async () => (await virsh('dumpxml', rawId(vmId))).includes(`<mac address='${mac}'/>`), 60_000, 500);

    await row.getByRole('button', { name: 'Limits' }).click();
    const limits = page.getByRole('dialog', { name: `Bandwidth of ${mac}` });
    await limits.getByLabel('Outbound average (from the guest)').fill('2048');
    await limits.getByRole('button', { name: 'Apply' }).click();
    await row.getByText('out 2048 KiB/s').waitFor({ timeout: 60_000 });
    await waitFor('the limit in the domain', async () => /<outbound average='2048'\/>/.test(await virsh('dumpxml', rawId(vmId))), 60_000, 500);

    const cdrom = page.getByTestId('vm-cdrom');
    await cdrom.getByLabel('ISO from the image library').selectOption({ label: 'tools' });
    await cdrom.getByRole('button', { name: 'Insert' }).click();
    await cdrom.getByTestId('vm-cdrom-medium').getByText('tools').waitFor({ timeout: 60_000 });
    await cdrom.getByLabel('Boot order').selectOption({ label: 'CD-ROM, then Disk' });
    await cdrom.getByRole('button', { name: 'Save boot order' }).click();
    await cdrom.getByTestId('vm-boot-order').getByText('CD-ROM, then Disk').waitFor({ timeout: 60_000 });
    await waitFor('the boot order in the domain', async () => /<boot dev='cdrom'\/>\s*<boot dev='hd'\/>/.test(await virsh('dumpxml', rawId(vmId))), 60_000, 500);
    const xml = await virsh('dumpxml', rawId(vmId));
    assert.match(xml, /<source file='[^']+\.iso'[^>]*\/>\s*<target dev='sda' bus='sata'\/>/);
    assert.deepEqual(errors, []);
  });
});
