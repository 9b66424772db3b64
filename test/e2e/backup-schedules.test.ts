// A backup schedule made from a VM's Backups tab in a real Chromium: the retention preview of the
// VM's backups follows the policy as it is typed (kept, pruned, and why), a bad cron expression is
// shown under its field, and the saved schedule shows its next runs and, after Run now, its last run.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { removeLeftoverVms, vmMutation, virsh, waitForTask } from '../support/libvirt.ts';

const POOL = 'hangar-sched-e2e';
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

describe('a backup schedule from the VM page in a real Chromium', { timeout: 8 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let s: SignedInPage;
  let admin: string;
  let poolDir: string;
  let vm: string;

  before(async () => {
    poolDir = await mkdtemp(join(tmpdir(), 'hangar-sched-e2e-'));
    await chmod(poolDir, 0o755);
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    await virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
    await virsh('pool-start', POOL);
    t = await startTestHangar('postgres', {}, { processes: ['api', 'worker'], registerLocalHost: true });
    browser = await launchBrowser();
    admin = await adminSession(t);
    s = await signedInPage(browser, t, admin);
  });

  after(async () => {
    await browser?.close();
    if (t) {
      for (const { id } of await t.hangar.db.selectFrom('vms').select('id').execute()) {
        await virsh('destroy', id).catch(() => {});
        await virsh('undefine', id, '--nvram', '--checkpoints-metadata').catch(() => {});
      }
      await removeLeftoverVms(t);
    }
    await t?.stop();
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    if (poolDir) await rm(poolDir, { recursive: true, force: true });
  });

  test('the editor previews retention, refuses a bad cron, saves, and runs now', async () => {
    const hostId = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    const target = await t.gql(`mutation($input: CreateBackupTargetInput!) { createBackupTarget(input: $input) { __typename ... on BackupTarget { id } ... on Error { message } } }`, { input: { name: 'e2e pool', hostId, pool: POOL } }, { cookie: admin });
    assert.equal(target.data.createBackupTarget.__typename, 'BackupTarget', JSON.stringify(target));
    const made = await vmMutation(t, admin, CREATE, { i: { name: 'sched-ui', vcpus: 1, memoryMb: 64, diskGb: 1, start: true } });
    assert.equal(made.task.status, 'SUCCEEDED');
    vm = made.vmId;
    // A full backup and an incremental on it, made through the API.
    for (let i = 0; i < 2; i++) {
      const b = await t.gql(`mutation($vm: ID!, $target: ID!) { backupVm(vmId: $vm, targetId: $target) { __typename ... on BackupTaskPayload { task { id } } ... on Error { message } } }`, { vm, target: target.data.createBackupTarget.id }, { cookie: admin });
      assert.equal((await waitForTask(t, admin, b.data.backupVm.task.id, 180_000)).status, 'SUCCEEDED');
    }
    const { page, errors } = s;
    await openPage(page, t, `/vms/${encodeURIComponent(vm)}?tab=backups`, 'sched-ui');
    await page.getByRole('button', { name: 'New schedule…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New backup schedule for sched-ui' });
    for (const [label, value] of [['Keep the last', '1'], ['Daily', '0'], ['Weekly', '0'], ['Monthly', '0']]) await dialog.getByLabel(label, { exact: true }).fill(value);
    // Keep the last 1: the incremental, and the full it is built on.
    const preview = dialog.getByTestId('retention-preview');
    await preview.getByText('one of the last 1').waitFor();
    await preview.getByText(/needed by/).waitFor();
    assert.equal(await preview.getByText('Pruned').count(), 0);
    await dialog.getByLabel('When (cron)').fill('every night');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/A cron expression has five fields/).waitFor();
    assert.equal((await t.hangar.db.selectFrom('backup_schedules').select('id').execute()).length, 0, 'a refused save makes nothing');
    await dialog.getByLabel('When (cron)').fill('30 1 * * *');
    await dialog.getByLabel('Time zone').fill('UTC');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const card = page.getByTestId('backup-schedule');
    await card.getByText(/Next: /).waitFor();
    assert.match(await card.innerText(), /Keeps last 1/);
    await card.getByRole('button', { name: 'Run now' }).click();
    await page.getByText('Run asked').waitFor();
    // The card shows the run once it ended (the tab reads schedules again when asked).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = await t.hangar.db.selectFrom('backup_schedules').select('last_run').executeTakeFirst();
      if (run?.last_run?.finishedAt) break;
      assert.ok(Date.now() < deadline, 'the run finished');
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.reload();
    await page.getByTestId('schedule-last-run').getByText(/sched-ui backed up/).waitFor();
    assert.deepEqual(errors, []);
  });
});
