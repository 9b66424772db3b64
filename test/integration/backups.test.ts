// Backups and restores of a real Debian guest on a real libvirtd, its data checked inside the
// guest through its agent: a full backup, two incrementals, each restored (as a new VM, and onto
// the VM itself), a crash between backups making the next one full with the reason, a restore
// from a corrupted backup that leaves the VM's disk in place, and what an ordinary user may not do.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentAnswers, guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { domState, rawId, removeLeftoverVms, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { runCommand } from '../../server/hypervisor/command.ts';

const NET = { name: 'hangar-bkp', bridge: 'virbr-bkp', subnet: '10.231.22' };
const POOL = 'hangar-bkp-test';
// A TCG guest on a loaded two-core machine: a deploy can take well over ten minutes.
const TASK_TIMEOUT_MS = 25 * 60_000;
const GUEST_TIMEOUT = { timeout: 40 * 60_000 };
const PAYLOAD = `__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;
const BACKUP_FIELDS = 'id kind status reason error chainLength checkpoint sizeBytes readBytes parent { id } disks { target virtualSizeBytes } vmName vmDeleted task { id }';
const BACKUP_VM = `mutation($vm: ID!, $target: ID!) { backupVm(vmId: $vm, targetId: $target) { ${PAYLOAD} ... on BackupTaskPayload { backup { id } task { id } } } }`;
const RESTORE = `mutation($id: ID!, $input: RestoreBackupInput!) { restoreBackup(id: $id, input: $input) { ${PAYLOAD} ... on RestoreBackupPayload { vm { id } task { id } } } }`;

describe('backups and restores of a real guest', { timeout: 120 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let hostId: string;
  let imageId: string;
  let poolDir: string;
  let targetId: string;
  let vmId: string;
  let id: string;
  /** The backups in the order they were made. */
  const made: any[] = [];

  before(async () => {
    const path = await networkAndImage(NET);
    poolDir = await mkdtemp(join(tmpdir(), 'hangar-bkp-pool-'));
    // QEMU (libvirt-qemu) writes the backup files into it.
    await chmod(poolDir, 0o755);
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    await virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
    await virsh('pool-start', POOL);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2', HANGAR_GUEST_AGENT_TIMEOUT_SECONDS: '1500' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    ({ hostId, imageId } = await prepareDeploys(t, admin, NET, path));
  });

  after(async () => {
    if (t) {
      // Checkpoints keep a domain from being undefined without --checkpoints-metadata.
      for (const { id: vm } of await t.hangar.db.selectFrom('vms').select('id').execute()) {
        await virsh('destroy', vm).catch(() => {});
        await virsh('undefine', vm, '--nvram', '--checkpoints-metadata').catch(() => {});
      }
      await removeLeftoverVms(t);
    }
    await t?.stop();
    await removeNetwork(NET);
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    if (poolDir) await rm(poolDir, { recursive: true, force: true });
  });

  const gql = (query: string, variables: Record<string, unknown> = {}, cookie = admin) => t.gql(query, variables, { cookie });
  const backupNow = async (globalId: string) => (await gql(`query($id: ID!) { node(id: $id) { ... on Backup { ${BACKUP_FIELDS} } } }`, { id: globalId })).data.node;

  async function guestReady(vm: string): Promise<void> {
    await waitFor('the guest agent', () => agentAnswers(vm), 25 * 60_000, 1000);
  }

  /** The marker files the guest has, of those the test writes (guestSh trims the last space). */
  async function markers(vm: string): Promise<string> {
    // A guest that just booted under TCG on a loaded machine can take minutes to fork its first commands.
    return guestSh(vm, 'ls /var/tmp/markers 2>/dev/null | sort | tr "\\n" " "', 600_000);
  }

  async function writeMarker(name: string): Promise<void> {
    await guestSh(id, `mkdir -p /var/tmp/markers && head -c 1048576 /dev/urandom > /var/tmp/markers/${name} && sync`, 600_000);
  }

  async function backUp(): Promise<any> {
    const result = await gql(BACKUP_VM, { vm: vmId, target: targetId });
    assert.equal(result.data?.backupVm?.__typename, 'BackupTaskPayload', JSON.stringify(result));
    const task = await waitForTask(t, admin, result.data.backupVm.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    const backup = await backupNow(result.data.backupVm.backup.id);
    made.push({ ...backup, task });
    return { ...backup, task };
  }

  async function restoreAsNew(backupId: string, name: string): Promise<string> {
    const result = await gql(RESTORE, { id: backupId, input: { asNewVm: { name } } });
    assert.equal(result.data?.restoreBackup?.__typename, 'RestoreBackupPayload', JSON.stringify(result));
    const task = await waitForTask(t, admin, result.data.restoreBackup.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return result.data.restoreBackup.vm.id;
  }

  async function deleteVm(globalId: string): Promise<void> {
    const result = await gql(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } ... on Error { message } } }`, { id: globalId });
    const task = await waitForTask(t, admin, result.data.deleteVm.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
  }

  test('backup targets are checked when they are registered, with typed errors', async () => {
    const add = (input: Record<string, unknown>, cookie = admin) => gql(`mutation($input: CreateBackupTargetInput!) { createBackupTarget(input: $input) { ${PAYLOAD} ... on BackupTarget { id name pool path shared } } }`, { input }, cookie);
    const missingPool = await add({ name: 'nowhere', hostId, pool: 'no-such-pool' });
    assert.equal(missingPool.data.createBackupTarget.__typename, 'ValidationError', JSON.stringify(missingPool));
    assert.match(missingPool.data.createBackupTarget.message, /no storage pool no-such-pool/);
    const relative = await add({ name: 'relative', path: 'backups/here' });
    assert.equal(relative.data.createBackupTarget.__typename, 'ValidationError');
    const neither = await add({ name: 'neither' });
    assert.deepEqual(neither.data.createBackupTarget.fieldErrors.map((e: any) => e.path.at(-1)), ['path']);
    const user = await userWithRole(t, admin, 'User');
    const refused = await add({ name: 'mine', hostId, pool: POOL }, user.cookie);
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const created = await add({ name: 'local pool', hostId, pool: POOL });
    assert.equal(created.data.createBackupTarget.__typename, 'BackupTarget', JSON.stringify(created));
    assert.equal(created.data.createBackupTarget.path, poolDir);
    targetId = created.data.createBackupTarget.id;
    const twice = await add({ name: 'local pool', hostId, pool: POOL });
    assert.equal(twice.data.createBackupTarget.__typename, 'ValidationError');
  });

  test('a full backup of a running guest, then two incrementals, each verified and chained', GUEST_TIMEOUT, async () => {
    const created = await gql(`mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} ... on VmTaskPayload { vm { id } task { id } } } }`, {
      i: { name: 'bkp one', vcpus: 1, memoryMb: 768, diskGb: 4, imageId, guest: { hostname: 'bkp-one', username: 'tester', password: 'first-Secret-42' } },
    });
    assert.equal(created.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(created));
    vmId = created.data.createVm.vm.id;
    id = rawId(vmId);
    const deployed = await waitForTask(t, admin, created.data.createVm.task.id, TASK_TIMEOUT_MS);
    assert.equal(deployed.status, 'SUCCEEDED', JSON.stringify(deployed));
    await guestReady(id);

    await writeMarker('one');
    const full = await backUp();
    assert.equal(full.kind, 'FULL');
    assert.equal(full.status, 'READY');
    assert.equal(full.chainLength, 1);
    assert.match(full.reason, /first backup/);
    assert.deepEqual(full.disks.map((d: any) => d.target), ['vda'], 'the boot disk, not the seed CD-ROM');
    assert.ok(full.readBytes >= 4 * 1024 ** 3, `a full backup reads the whole disk (${full.readBytes})`);
    assert.ok(full.sizeBytes > 100 * 1024 ** 2, 'it holds the guest');
    assert.ok(full.task.log.some((l: any) => /File systems frozen/.test(l.line)), `the file systems were frozen: ${JSON.stringify(full.task.log)}`);
    assert.ok(full.task.steps.find((s: any) => s.name === 'Copy the disks').progress === 100);
    assert.ok((await virsh('checkpoint-list', id, '--name')).includes(full.checkpoint), 'libvirt has its checkpoint');

    await writeMarker('two');
    const first = await backUp();
    assert.equal(first.kind, 'INCREMENTAL', JSON.stringify(first));
    assert.equal(first.parent.id, full.id);
    assert.equal(first.chainLength, 2);
    assert.ok(first.readBytes < full.readBytes / 4, `an incremental reads what changed (${first.readBytes})`);
    assert.ok(first.sizeBytes < full.sizeBytes / 2, `and stores little (${first.sizeBytes})`);

    await writeMarker('three');
    const second = await backUp();
    assert.equal(second.kind, 'INCREMENTAL');
    assert.equal(second.parent.id, first.id);
    assert.equal(second.chainLength, 3);
    // The chain opens whole from the newest file: three files down to the full backup.
    const info = JSON.parse((await runCommand('qemu-img', ['info', '--backing-chain', '--output=json', join(poolDir, `${rawId(second.id)}-vda.qcow2`)], { timeoutMs: 60_000 })).stdout);
    assert.equal(info.length, 3);
    assert.equal(info[2].filename, join(poolDir, `${rawId(full.id)}-vda.qcow2`));
  });

  test('the first incremental restores as a new VM holding the data of its moment; the full one as a new VM that runs', GUEST_TIMEOUT, async () => {
    // One Debian guest booting at a time on this machine: the full backup's VM is checked to run, not booted to its agent.
    const fromFull = await restoreAsNew(made[0].id, 'from full');
    assert.equal(await domState(rawId(fromFull)), 'running');
    await deleteVm(fromFull);
    const fromFirst = await restoreAsNew(made[1].id, 'from first incremental');
    await guestReady(rawId(fromFirst));
    assert.equal(await markers(rawId(fromFirst)), 'one two');
    await deleteVm(fromFirst);
  });

  test('the second incremental restores onto the VM itself: later data is gone, the VM runs again', GUEST_TIMEOUT, async () => {
    await writeMarker('later');
    const disk = (await virsh('domblklist', id)).split('\n').find((l) => l.includes('vda'))!.trim().split(/\s+/)[1]!;
    const inode = (await stat(disk)).ino;
    const result = await gql(RESTORE, { id: made[2].id, input: { toVm: true } });
    assert.equal(result.data?.restoreBackup?.__typename, 'RestoreBackupPayload', JSON.stringify(result));
    const task = await waitForTask(t, admin, result.data.restoreBackup.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(task.steps.map((s: any) => s.state), ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'DONE']);
    assert.notEqual((await stat(disk)).ino, inode, 'the disk file is a new one');
    await assert.rejects(stat(`${disk}.pre-restore`), 'the old disk is removed once the restore is verified');
    await guestReady(id);
    assert.equal(await markers(id), 'one three two');
  });

  test('after a restore and after a crash (QEMU killed), the next backup is full and says why', GUEST_TIMEOUT, async () => {
    const afterRestore = await backUp();
    assert.equal(afterRestore.kind, 'FULL');
    assert.match(afterRestore.reason, /checkpoint .* is missing in libvirt/);
    // A crash: QEMU dies without writing its bitmaps back (virsh destroy lets it save them: SIGTERM).
    const name = (await virsh('domname', id)).trim();
    const pid = (await runCommand('cat', [`/run/libvirt/qemu/${name}.pid`], { timeoutMs: 5000 })).stdout.trim();
    await runCommand('kill', ['-9', pid], { timeoutMs: 5000 });
    await waitFor('the domain to stop', async () => (await domState(id)) !== 'running', 30_000, 200);
    await waitFor('the VM to show it', async () => ['STOPPED', 'CRASHED'].includes((await gql(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id: vmId })).data.node.state), 60_000, 500);
    // Backed up while stopped: it runs paused for the copy and is stopped again.
    const afterCrash = await backUp();
    assert.equal(afterCrash.kind, 'FULL', JSON.stringify(afterCrash));
    assert.match(afterCrash.reason, /bitmap is broken/);
    assert.ok(afterCrash.task.log.some((l: any) => /started paused/.test(l.line)));
    assert.equal(await domState(id), 'shut off', 'a stopped VM stays stopped');
  });

  test('a restore from a corrupted backup fails and leaves the VM its own disk', GUEST_TIMEOUT, async () => {
    const last = made.at(-1);
    const file = join(poolDir, `${rawId(last.id)}-vda.qcow2`);
    const handle = await open(file, 'r+');
    await handle.write(Buffer.alloc(512), 0, 512, 0);
    await handle.close();
    const disk = (await virsh('domblklist', id)).split('\n').find((l) => l.includes('vda'))!.trim().split(/\s+/)[1]!;
    const before = await stat(disk);
    const result = await gql(RESTORE, { id: last.id, input: { toVm: true } });
    assert.equal(result.data?.restoreBackup?.__typename, 'RestoreBackupPayload', JSON.stringify(result));
    const task = await waitForTask(t, admin, result.data.restoreBackup.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'FAILED');
    const now = await stat(disk);
    assert.equal(now.ino, before.ino, 'the same disk file');
    assert.equal(now.mtimeMs, before.mtimeMs, 'untouched');
    await assert.rejects(stat(`${disk}.pre-restore`));
    await assert.rejects(stat(join(dirname(disk), `${id}-restore-vda.qcow2`)), 'no restored copy is left');
    // It still starts from its own disk.
    const started = await gql(`mutation($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId });
    assert.equal((await waitForTask(t, admin, started.data.startVm.task.id, TASK_TIMEOUT_MS)).status, 'SUCCEEDED');
  });

  test('an ordinary user cannot see, restore, back up or delete another user\u2019s backups', async () => {
    const user = await userWithRole(t, admin, 'User');
    const listed = await gql(`{ backups { id } }`, {}, user.cookie);
    assert.deepEqual(listed.data.backups, []);
    const node = await gql(`query($id: ID!) { node(id: $id) { ... on Backup { id } } }`, { id: made[0].id }, user.cookie);
    assert.equal(node.data?.node ?? null, null);
    const restore = await gql(RESTORE, { id: made[0].id, input: { asNewVm: { name: 'stolen' } } }, user.cookie);
    assert.equal(restore.data.restoreBackup.__typename, 'NotFoundError');
    const backup = await gql(BACKUP_VM, { vm: vmId, target: targetId }, user.cookie);
    assert.equal(backup.data.backupVm.__typename, 'NotFoundError');
    const del = await gql(`mutation($id: ID!) { deleteBackup(id: $id) { ${PAYLOAD} } }`, { id: made[0].id }, user.cookie);
    assert.equal(del.data.deleteBackup.__typename, 'NotFoundError');
    // The admin sees them all.
    assert.equal((await gql(`{ backups { id } }`)).data.backups.length, made.length);
  });

  test('bad input is refused with typed errors, and a backup another depends on is kept', async () => {
    const both = await gql(RESTORE, { id: made[0].id, input: { toVm: true, asNewVm: { name: 'x' } } });
    assert.equal(both.data.restoreBackup.__typename, 'ValidationError');
    const noTarget = await gql(BACKUP_VM, { vm: vmId, target: Buffer.from('BackupTarget:00000000-0000-4000-8000-000000000000').toString('base64') });
    assert.equal(noTarget.data.backupVm.__typename, 'ValidationError');
    const kept = await gql(`mutation($id: ID!) { deleteBackup(id: $id) { ${PAYLOAD} ... on DeleteBackupPayload { deletedIds } } }`, { id: made[0].id });
    assert.equal(kept.data.deleteBackup.__typename, 'ConflictError');
    assert.match(kept.data.deleteBackup.message, /2 later backup/);
    const chain = await gql(`mutation($id: ID!) { deleteBackup(id: $id, withDependents: true) { ${PAYLOAD} ... on DeleteBackupPayload { deletedIds } } }`, { id: made[0].id });
    assert.equal(chain.data.deleteBackup.deletedIds.length, 3, JSON.stringify(chain));
    for (const b of made.slice(0, 3)) await assert.rejects(stat(join(poolDir, `${rawId(b.id)}-vda.qcow2`)));
    const target = await gql(`mutation($id: ID!) { deleteBackupTarget(id: $id) { ${PAYLOAD} } }`, { id: targetId });
    assert.equal(target.data.deleteBackupTarget.__typename, 'ConflictError', 'it still holds backups');
  });
});
