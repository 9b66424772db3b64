// Backups of a blank-disk guest on a real libvirtd (firmware only, no OS: quick on a loaded
// machine), its data written into the disk with qemu-io while it is powered off (QEMU's block layer
// keeps the checkpoint's bitmap) and checked with qemu-img compare after each restore: full, then
// incremental of a stopped VM (run paused for the copy), restores of each as a new VM and onto the
// VM, a crash making the next backup full with the reason, and a corrupted backup whose restore
// fails and leaves the disk alone. backups.test.ts does the same with a Debian guest's own data.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCommand } from '../../server/hypervisor/command.ts';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { domState, rawId, removeLeftoverVms, virsh, waitFor, waitForTask } from '../support/libvirt.ts';

const POOL = 'hangar-bkp-blank';
const PAYLOAD = `__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;
const TASK_MS = 10 * 60_000;

describe('backups of a blank-disk guest, data checked with qemu-img', { timeout: 30 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let poolDir: string;
  let targetId: string;
  let hostId: string;
  let vmId: string;
  let id: string;
  let disk: string;
  const backups: any[] = [];

  before(async () => {
    poolDir = await mkdtemp(join(tmpdir(), 'hangar-bkp-blank-'));
    await chmod(poolDir, 0o755);
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    await virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
    await virsh('pool-start', POOL);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2', HANGAR_LOCAL_NETWORK: 'none' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    hostId = (await gql('{ hosts { id name } }')).data.hosts.find((h: any) => h.name === 'local').id;
    const target = await gql(`mutation($input: CreateBackupTargetInput!) { createBackupTarget(input: $input) { ${PAYLOAD} ... on BackupTarget { id } } }`, { input: { name: 'blank', hostId, pool: POOL } });
    assert.equal(target.data.createBackupTarget.__typename, 'BackupTarget', JSON.stringify(target));
    targetId = target.data.createBackupTarget.id;
    const created = await gql(`mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} ... on VmTaskPayload { vm { id } task { id } } } }`, { i: { name: 'blank one', vcpus: 1, memoryMb: 256, diskGb: 1, start: false } });
    vmId = created.data.createVm.vm.id;
    id = rawId(vmId);
    assert.equal((await waitForTask(t, admin, created.data.createVm.task.id, TASK_MS)).status, 'SUCCEEDED');
    disk = (await virsh('vol-path', '--pool', 'hangar-disks', `${id}.qcow2`)).trim();
  });

  after(async () => {
    if (t) {
      for (const { id: vm } of await t.hangar.db.selectFrom('vms').select('id').execute()) {
        await virsh('destroy', vm).catch(() => {});
        await virsh('undefine', vm, '--nvram', '--checkpoints-metadata').catch(() => {});
      }
      await removeLeftoverVms(t);
    }
    await t?.stop();
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    if (poolDir) await rm(poolDir, { recursive: true, force: true });
  });

  function gql(query: string, variables: Record<string, unknown> = {}) {
    return t.gql(query, variables, { cookie: admin });
  }
  const qemuIo = (command: string, file = disk) => runCommand('qemu-io', ['-f', 'qcow2', '-c', command, file], { timeoutMs: 120_000 });
  /** The 1 MiB at `mib` reads as the byte pattern. */
  const holds = async (file: string, mib: number, pattern: number) => {
    // Read-only and shared: a restored VM runs on its disk.
    const { stdout } = await runCommand('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', `read -P 0x${pattern.toString(16)} ${mib}M 1M`, file], { timeoutMs: 120_000 });
    return !/Pattern verification failed/.test(stdout);
  };
  const power = async (mutation: 'startVm' | 'stopVm') => {
    const r = await gql(`mutation($id: ID!) { ${mutation}(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId });
    assert.equal((await waitForTask(t, admin, r.data[mutation].task.id, TASK_MS)).status, 'SUCCEEDED');
  };
  async function backUp(): Promise<any> {
    const r = await gql(`mutation($vm: ID!, $t: ID!) { backupVm(vmId: $vm, targetId: $t) { ${PAYLOAD} ... on BackupTaskPayload { backup { id } task { id } } } }`, { vm: vmId, t: targetId });
    assert.equal(r.data.backupVm.__typename, 'BackupTaskPayload', JSON.stringify(r));
    const task = await waitForTask(t, admin, r.data.backupVm.task.id, TASK_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    const node = (await gql(`query($id: ID!) { node(id: $id) { ... on Backup { id kind reason chainLength sizeBytes readBytes parent { id } } } }`, { id: r.data.backupVm.backup.id })).data.node;
    backups.push(node);
    return { ...node, task };
  }
  async function restore(backupId: string, input: Record<string, unknown>): Promise<any> {
    const r = await gql(`mutation($id: ID!, $input: RestoreBackupInput!) { restoreBackup(id: $id, input: $input) { ${PAYLOAD} ... on RestoreBackupPayload { vm { id } task { id } } } }`, { id: backupId, input });
    assert.equal(r.data.restoreBackup.__typename, 'RestoreBackupPayload', JSON.stringify(r));
    return { vm: r.data.restoreBackup.vm.id, task: await waitForTask(t, admin, r.data.restoreBackup.task.id, TASK_MS) };
  }
  const fileOf = (backupId: string) => join(poolDir, `${rawId(backupId)}-vda.qcow2`);

  test('full on a running VM, then incrementals of the stopped VM holding exactly what was written', async () => {
    await qemuIo('write -P 0x11 0 1M');
    await power('startVm');
    const full = await backUp();
    assert.equal(full.kind, 'FULL');
    assert.equal(full.readBytes, 1024 ** 3);
    await power('stopVm');
    await qemuIo('write -P 0x22 8M 1M');
    const first = await backUp();
    assert.equal(first.kind, 'INCREMENTAL', JSON.stringify(first));
    assert.equal(first.parent.id, full.id);
    assert.ok(first.readBytes < 16 * 1024 ** 2, `it read what changed (${first.readBytes})`);
    assert.ok(first.task.log.some((l: any) => /started paused/.test(l.line)));
    assert.equal(await domState(id), 'shut off', 'the stopped VM stays stopped');
    await qemuIo('write -P 0x33 16M 1M');
    const second = await backUp();
    assert.equal(second.kind, 'INCREMENTAL');
    assert.equal(second.chainLength, 3);
    // The newest file opens the whole chain and reads each moment's data.
    assert.ok(await holds(fileOf(second.id), 0, 0x11));
    assert.ok(await holds(fileOf(second.id), 8, 0x22));
    assert.ok(await holds(fileOf(second.id), 16, 0x33));
    assert.ok(await holds(fileOf(first.id), 16, 0), 'the first incremental holds no later data');
  });

  test('each backup restores as a new VM that runs, with the data of its moment', async () => {
    const expected = [
      [0x11, 0, 0],
      [0x11, 0x22, 0],
    ];
    for (const [i, [a, b, c]] of expected.entries()) {
      const { vm, task } = await restore(backups[i].id, { asNewVm: { name: `restored ${i}` } });
      assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
      assert.equal(await domState(rawId(vm)), 'running');
      const restored = (await virsh('vol-path', '--pool', 'hangar-disks', `${rawId(vm)}.qcow2`)).trim();
      assert.ok(await holds(restored, 0, a!));
      assert.ok(await holds(restored, 8, b!));
      assert.ok(await holds(restored, 16, c!));
      const del = await gql(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vm });
      assert.equal((await waitForTask(t, admin, del.data.deleteVm.task.id, TASK_MS)).status, 'SUCCEEDED');
    }
  });

  test('the second incremental restores onto the VM: later data is gone, the old disk removed', async () => {
    await qemuIo('write -P 0x44 24M 1M');
    const inode = (await stat(disk)).ino;
    const { task } = await restore(backups[2].id, { toVm: true });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.notEqual((await stat(disk)).ino, inode);
    await assert.rejects(stat(`${disk}.pre-restore`));
    assert.ok(await holds(disk, 16, 0x33));
    assert.ok(await holds(disk, 24, 0), 'what was written after the backup is gone');
  });

  test('after a restore, and after QEMU is killed, the next backup is full and says why', async () => {
    await power('startVm');
    const afterRestore = await backUp();
    assert.equal(afterRestore.kind, 'FULL');
    assert.match(afterRestore.reason, /is missing in libvirt/);
    const name = (await virsh('domname', id)).trim();
    const pid = (await runCommand('cat', [`/run/libvirt/qemu/${name}.pid`], { timeoutMs: 5000 })).stdout.trim();
    await runCommand('kill', ['-9', pid], { timeoutMs: 5000 });
    await waitFor('the domain to stop', async () => (await domState(id)) !== 'running', 30_000, 200);
    await waitFor('the VM to show it', async () => ['STOPPED', 'CRASHED'].includes((await gql(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id: vmId })).data.node.state), 60_000, 500);
    const afterCrash = await backUp();
    assert.equal(afterCrash.kind, 'FULL', JSON.stringify(afterCrash));
    assert.match(afterCrash.reason, /bitmap is broken/);
  });

  test('a restore from a corrupted backup fails and leaves the disk as it was', async () => {
    const last = backups.at(-1);
    const handle = await open(fileOf(last.id), 'r+');
    await handle.write(Buffer.alloc(512), 0, 512, 0);
    await handle.close();
    const before = await stat(disk);
    const { task } = await restore(last.id, { toVm: true });
    assert.equal(task.status, 'FAILED');
    const now = await stat(disk);
    assert.equal(now.ino, before.ino);
    assert.equal(now.mtimeMs, before.mtimeMs);
    assert.ok(await holds(disk, 16, 0x33));
  });

  test('targets are checked when they are registered, with typed errors', async () => {
    const add = (input: Record<string, unknown>, cookie = admin) => t.gql(`mutation($input: CreateBackupTargetInput!) { createBackupTarget(input: $input) { ${PAYLOAD} ... on BackupTarget { id } } }`, { input }, { cookie });
    const missing = await add({ name: 'nowhere', hostId, pool: 'no-such-pool' });
    assert.equal(missing.data.createBackupTarget.__typename, 'ValidationError', JSON.stringify(missing));
    assert.match(missing.data.createBackupTarget.message, /no storage pool no-such-pool/);
    assert.equal((await add({ name: 'relative', path: 'backups/here' })).data.createBackupTarget.__typename, 'ValidationError');
    assert.deepEqual((await add({ name: 'neither' })).data.createBackupTarget.fieldErrors.map((e: any) => e.path.at(-1)), ['path']);
    assert.equal((await add({ name: 'blank', hostId, pool: POOL })).data.createBackupTarget.__typename, 'ValidationError', 'the name is taken');
    const user = await userWithRole(t, admin, 'User');
    assert.equal((await add({ name: 'mine', hostId, pool: POOL }, user.cookie)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('an ordinary user cannot see, restore, back up or delete another user\u2019s backups', async () => {
    const user = await userWithRole(t, admin, 'User');
    const as = (query: string, variables: Record<string, unknown> = {}) => t.gql(query, variables, { cookie: user.cookie });
    assert.deepEqual((await as('{ backups { id } }')).data.backups, []);
    assert.equal((await as(`query($id: ID!) { node(id: $id) { ... on Backup { id } } }`, { id: backups[0].id })).data?.node ?? null, null);
    const restore = await as(`mutation($id: ID!, $input: RestoreBackupInput!) { restoreBackup(id: $id, input: $input) { ${PAYLOAD} } }`, { id: backups[0].id, input: { asNewVm: { name: 'stolen' } } });
    assert.equal(restore.data.restoreBackup.__typename, 'NotFoundError');
    const backup = await as(`mutation($vm: ID!, $t: ID!) { backupVm(vmId: $vm, targetId: $t) { ${PAYLOAD} } }`, { vm: vmId, t: targetId });
    assert.equal(backup.data.backupVm.__typename, 'NotFoundError');
    const del = await as(`mutation($id: ID!) { deleteBackup(id: $id) { ${PAYLOAD} } }`, { id: backups[0].id });
    assert.equal(del.data.deleteBackup.__typename, 'NotFoundError');
    assert.equal((await gql('{ backups { id } }')).data.backups.length, backups.length, 'the admin sees them all');
  });

  test('bad input is refused with typed errors; a backup others build on is deleted only with them', async () => {
    const both = await gql(`mutation($id: ID!, $input: RestoreBackupInput!) { restoreBackup(id: $id, input: $input) { ${PAYLOAD} } }`, { id: backups[0].id, input: { toVm: true, asNewVm: { name: 'x' } } });
    assert.equal(both.data.restoreBackup.__typename, 'ValidationError');
    const noTarget = await gql(`mutation($vm: ID!, $t: ID!) { backupVm(vmId: $vm, targetId: $t) { ${PAYLOAD} } }`, { vm: vmId, t: Buffer.from('BackupTarget:00000000-0000-4000-8000-000000000000').toString('base64') });
    assert.equal(noTarget.data.backupVm.__typename, 'ValidationError');
    const DELETE = `mutation($id: ID!, $with: Boolean) { deleteBackup(id: $id, withDependents: $with) { ${PAYLOAD} ... on DeleteBackupPayload { deletedIds } } }`;
    const kept = await gql(DELETE, { id: backups[0].id });
    assert.equal(kept.data.deleteBackup.__typename, 'ConflictError');
    assert.match(kept.data.deleteBackup.message, /2 later backup/);
    const chain = await gql(DELETE, { id: backups[0].id, with: true });
    assert.equal(chain.data.deleteBackup.deletedIds.length, 3, JSON.stringify(chain));
    for (const b of backups.slice(0, 3)) await assert.rejects(stat(fileOf(b.id)));
    const target = await gql(`mutation($id: ID!) { deleteBackupTarget(id: $id) { ${PAYLOAD} } }`, { id: targetId });
    assert.equal(target.data.deleteBackupTarget.__typename, 'ConflictError', 'it still holds backups');
  });
});
