// Backup schedules on a real libvirtd with tiny guests (a blank disk: backups need a running
// domain, not an OS): a schedule whose cron fires through pg-boss, runs asked by hand, retention
// that prunes old chains but keeps every backup a kept one is built on, a busy VM skipped with
// the reason, an owner who lost VM.Backup whose schedule does nothing, and who may see or change
// a schedule. Bad input gets typed errors and makes nothing.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, vmMutation, virsh, waitFor, waitForTask } from '../support/libvirt.ts';

const POOL = 'hangar-sched-test';
const PAYLOAD = `__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;
const SCHEDULE_FIELDS = 'id name cron timezone enabled chainCap nextRuns(count: 2) retention { keepLast } lastRunAt lastRun { startedAt finishedAt skipped prunedCount vms { vmName status reason backup { id kind } } }';
const CREATE_SCHEDULE = `mutation($input: BackupScheduleInput!) { createBackupSchedule(input: $input) { ${PAYLOAD} ... on BackupSchedule { ${SCHEDULE_FIELDS} } } }`;
const UPDATE_SCHEDULE = `mutation($id: ID!, $input: BackupScheduleInput!) { updateBackupSchedule(id: $id, input: $input) { ${PAYLOAD} ... on BackupSchedule { ${SCHEDULE_FIELDS} } } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupScheduleNow(id: $id) { ${PAYLOAD} ... on BackupSchedule { id lastRunAt } } }`;
const CREATE_VM = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

describe('backup schedules and retention on real libvirt', { timeout: 30 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let hostId: string;
  let poolDir: string;
  let holds: string;
  let targetId: string;
  let vmId: string;
  let scheduleId: string;

  before(async () => {
    poolDir = await mkdtemp(join(tmpdir(), 'hangar-sched-pool-'));
    await chmod(poolDir, 0o755);
    holds = await mkdtemp(join(tmpdir(), 'hangar-sched-holds-'));
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    await virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
    await virsh('pool-start', POOL);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2', HANGAR_TEST_STEP_HOLD_DIR: holds }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    hostId = (await gql('{ hosts { id name } }')).data.hosts.find((h: any) => h.name === 'local').id;
    const target = await gql(`mutation($input: CreateBackupTargetInput!) { createBackupTarget(input: $input) { ${PAYLOAD} ... on BackupTarget { id } } }`, { input: { name: 'sched pool', hostId, pool: POOL } });
    assert.equal(target.data.createBackupTarget.__typename, 'BackupTarget', JSON.stringify(target));
    targetId = target.data.createBackupTarget.id;
    vmId = await makeVm('sched-a', admin);
  });

  after(async () => {
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
    for (const dir of [poolDir, holds]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  function gql(query: string, variables: Record<string, unknown> = {}, cookie = admin) {
    return t.gql(query, variables, { cookie });
  }

  /** A running tiny VM (a blank disk: its firmware finds nothing to boot and waits). */
  async function makeVm(name: string, cookie: string): Promise<string> {
    const { vmId: id, task } = await vmMutation(t, cookie, CREATE_VM, { i: { name, vcpus: 1, memoryMb: 64, diskGb: 1, start: true } });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return id;
  }

  const scheduleNow = async (id = scheduleId, cookie = admin) => (await gql(`query($id: ID!) { node(id: $id) { ... on BackupSchedule { ${SCHEDULE_FIELDS} } } }`, { id }, cookie)).data.node;
  const backupsOf = async (vm: string) =>
    (await gql(`query($vm: ID!) { backups(vmId: $vm) { id kind status scheduleId parent { id } createdAt } }`, { vm })).data.backups.filter((b: any) => b.status !== 'FAILED');
  const poolFiles = async () => (await virsh('vol-list', '--pool', POOL)).split('\n').slice(2).map((l) => l.trim()).filter(Boolean).length;

  /** Asks for a run and waits until a newer run than the last has finished. */
  async function runNow(): Promise<any> {
    const before = (await scheduleNow()).lastRun?.startedAt ?? '';
    const asked = await gql(RUN_NOW, { id: scheduleId });
    assert.equal(asked.data.runBackupScheduleNow.__typename, 'BackupSchedule', JSON.stringify(asked));
    return waitFor('the run to finish', async () => {
      const s = await scheduleNow();
      return s.lastRun && s.lastRun.startedAt !== before && s.lastRun.finishedAt ? s.lastRun : null;
    }, 5 * 60_000, 500);
  }

  test('bad schedules get typed errors and make nothing', async () => {
    const base = { name: 'nightly', vmIds: [vmId], targetId, cron: '0 2 * * *', retention: { keepLast: 3 } };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ cron: 'every night' }, 'cron'],
      [{ cron: '0 2 * * * *' }, 'cron'],
      [{ cron: '0 25 * * *' }, 'cron'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ retention: { keepLast: 0 } }, 'keepLast'],
      [{ vmIds: [] }, 'vmIds'],
      [{ tag: 'Not A Tag' }, 'tag'],
    ];
    for (const [change, field] of cases) {
      const result = await gql(CREATE_SCHEDULE, { input: { ...base, ...change } });
      assert.equal(result.data.createBackupSchedule.__typename, 'ValidationError', `${JSON.stringify(change)}: ${JSON.stringify(result)}`);
      assert.ok(result.data.createBackupSchedule.fieldErrors.some((e: any) => e.path.at(-1) === field || e.path.join('.').includes(field)), `${field}: ${JSON.stringify(result.data.createBackupSchedule)}`);
    }
    // Another user's VM is not theirs to schedule: it does not exist for them.
    const user = await userWithRole(t, admin, 'User');
    const foreign = await gql(CREATE_SCHEDULE, { input: { ...base } }, user.cookie);
    assert.equal(foreign.data.createBackupSchedule.__typename, 'ValidationError', JSON.stringify(foreign));
    assert.match(foreign.data.createBackupSchedule.fieldErrors[0].message, /No such VM/);
    assert.equal((await t.hangar.db.selectFrom('backup_schedules').select('id').execute()).length, 0);
  });

  test('a schedule\u2019s cron fires through the job queue and backs the VM up as its owner', { timeout: 10 * 60_000 }, async () => {
    const created = await gql(CREATE_SCHEDULE, { input: { name: 'every minute', vmIds: [vmId], targetId, cron: '* * * * *', timezone: 'Europe/Paris', chainCap: 2, retention: { keepLast: 1 } } });
    assert.equal(created.data.createBackupSchedule.__typename, 'BackupSchedule', JSON.stringify(created));
    const schedule = created.data.createBackupSchedule;
    scheduleId = schedule.id;
    assert.equal(schedule.nextRuns.length, 2);
    assert.equal(new Date(schedule.nextRuns[1]).getTime() - new Date(schedule.nextRuns[0]).getTime(), 60_000);
    const run = await waitFor('the first run', async () => (await scheduleNow()).lastRun?.finishedAt && (await scheduleNow()).lastRun, 4 * 60_000, 1000);
    assert.equal(run.skipped, null);
    assert.deepEqual(run.vms.map((v: any) => [v.vmName, v.status, v.backup?.kind]), [['sched-a', 'BACKED_UP', 'FULL']], JSON.stringify(run));
    // No more cron runs while the rest is checked: runs are asked by hand from now on.
    const off = await gql(UPDATE_SCHEDULE, { id: scheduleId, input: { enabled: false } });
    assert.equal(off.data.updateBackupSchedule.enabled, false);
    assert.deepEqual(off.data.updateBackupSchedule.nextRuns, []);
    const [first] = await backupsOf(vmId);
    assert.equal(first.scheduleId, rawId(scheduleId));
    assert.equal(first.status, 'READY');
  });

  test('retention prunes old chains newest first and keeps what a kept backup is built on', { timeout: 10 * 60_000 }, async () => {
    // Wait out a cron run that may have started before the schedule was disabled.
    await waitFor('no open backup task', async () => !(await t.hangar.db.selectFrom('tasks').select('id').where('operation', '=', 'vm.backup').where('status', 'in', ['queued', 'running']).executeTakeFirst()), 120_000, 500);
    const baseline = await backupsOf(vmId);
    assert.equal(baseline.length, 1, JSON.stringify(baseline));
    const full1 = baseline[0].id;
    // chainCap 2: an incremental on the full, then a new full; keep the last 1.
    const second = await runNow();
    assert.equal(second.vms[0].backup.kind, 'INCREMENTAL');
    // The incremental is the last one; its full is needed by it.
    assert.deepEqual((await backupsOf(vmId)).map((b: any) => b.kind).sort(), ['FULL', 'INCREMENTAL']);
    const third = await runNow();
    assert.equal(third.vms[0].backup.kind, 'FULL', 'the chain reached its cap');
    assert.equal(third.prunedCount, 2, 'the old chain went, incremental and full');
    const afterThird = await backupsOf(vmId);
    assert.deepEqual(afterThird.map((b: any) => b.id), [third.vms[0].backup.id]);
    assert.ok(!afterThird.some((b: any) => b.id === full1));
    const fourth = await runNow();
    assert.equal(fourth.vms[0].backup.kind, 'INCREMENTAL');
    assert.equal(fourth.prunedCount, 0, 'the full under the kept incremental stays');
    const kept = await backupsOf(vmId);
    assert.deepEqual(kept.map((b: any) => b.kind), ['INCREMENTAL', 'FULL']);
    assert.equal(kept[0].parent.id, kept[1].id);
    // The pruned backups' files are gone from the pool: one file per kept backup (one disk each).
    await virsh('pool-refresh', POOL);
    assert.equal(await poolFiles(), 2);
    // The preview says the same, with the reasons.
    const preview = await gql(`query($vm: ID!, $target: ID!, $s: ID) { backupRetentionPreview(vmId: $vm, targetId: $target, retention: { keepLast: 1 }, scheduleId: $s) { ${PAYLOAD} ... on QueryBackupRetentionPreviewSuccess { data { keep reason backup { id } } } } }`, { vm: vmId, target: targetId, s: scheduleId });
    const entries = preview.data.backupRetentionPreview.data;
    assert.deepEqual(entries.map((e: any) => [e.backup.id, e.keep]), kept.map((b: any) => [b.id, true]));
    assert.match(entries[1].reason, /^needed by /);
  });

  test('a VM busy with another operation is skipped with the reason', { timeout: 5 * 60_000 }, async () => {
    // A backup asked by hand, held at its first step: the VM is busy.
    const hold = join(holds, 'vm.backup.1');
    await writeFile(hold, '');
    try {
      const asked = await gql(`mutation($vm: ID!, $target: ID!) { backupVm(vmId: $vm, targetId: $target) { ${PAYLOAD} ... on BackupTaskPayload { task { id } } } }`, { vm: vmId, target: targetId });
      assert.equal(asked.data.backupVm.__typename, 'BackupTaskPayload', JSON.stringify(asked));
      const run = await runNow();
      assert.deepEqual(run.vms.map((v: any) => [v.status, v.backup]), [['SKIPPED', null]]);
      assert.match(run.vms[0].reason, /^Busy: vm\.backup is (queued|running)/);
      await unlink(hold);
      assert.equal((await waitForTask(t, admin, asked.data.backupVm.task.id, 180_000)).status, 'SUCCEEDED');
    } finally {
      await unlink(hold).catch(() => {});
    }
  });

  test('a schedule acts with its owner\u2019s rights as they are: one who lost VM.Backup backs nothing up; others may not see or change it', { timeout: 5 * 60_000 }, async () => {
    const user = await userWithRole(t, admin, 'User');
    const own = await makeVm('sched-user', user.cookie);
    const created = await gql(CREATE_SCHEDULE, { input: { name: 'mine', vmIds: [own], targetId, cron: '0 3 * * *', retention: { keepDaily: 7 } } }, user.cookie);
    assert.equal(created.data.createBackupSchedule.__typename, 'BackupSchedule', JSON.stringify(created));
    const id = created.data.createBackupSchedule.id;
    // Another user neither sees nor changes it.
    const other = await userWithRole(t, admin, 'User');
    assert.deepEqual((await gql('{ backupSchedules { id } }', {}, other.cookie)).data.backupSchedules, []);
    const changed = await gql(UPDATE_SCHEDULE, { id, input: { cron: '* * * * *' } }, other.cookie);
    assert.equal(changed.data.updateBackupSchedule.__typename, 'NotFoundError', JSON.stringify(changed));
    // The owner loses VM.Backup: a run (asked by an administrator) does nothing and says why.
    const role = await gql('mutation { createRole(input: { name: "Runners", privileges: [VM_Create, VM_PowerMgmt] }) { __typename ... on Role { id } } }');
    const roleId = role.data.createRole.id;
    const moved = await gql(`mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename ... on Error { message } } }`, { id: user.id, roles: [roleId] });
    assert.equal(moved.data.setUserRoles.__typename, 'User', JSON.stringify(moved));
    const asked = await gql(RUN_NOW, { id });
    assert.equal(asked.data.runBackupScheduleNow.__typename, 'BackupSchedule', JSON.stringify(asked));
    const run = await waitFor('the run', async () => (await scheduleNow(id)).lastRun, 120_000, 500);
    assert.equal(run.skipped, 'Its owner no longer holds VM.Backup');
    assert.deepEqual(await backupsOf(own), []);
  });
});
