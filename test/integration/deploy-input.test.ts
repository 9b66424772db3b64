// What a user types for the guest goes into cloud-init: every field is checked before anything
// is written, and hostile values are refused with a typed error (no VM, no task, no job).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminSession, BACKENDS, setupAdmin, userWithRole, useTestHangar } from '../support/hangar.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on ValidationError { message fieldErrors { path message } } ... on Error { message } } }`;
const QUOTA_CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on QuotaExceededError { resource } ... on Error { message } } }`;
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhhbmdhci10ZXN0LWtleS1ub3QtYS1yZWFsLW9uZS0wMQ me@laptop';

const HOSTILE: Array<[string, Record<string, unknown>]> = [
  ['a hostname with a newline and a directive', { hostname: 'web\nruncmd: [reboot]' }],
  ['a hostname with YAML syntax', { hostname: 'web: {a: 1}' }],
  ['a system user name', { username: 'root' }],
  ['a user name with a newline', { username: 'ann\n  sudo: ALL=(ALL) NOPASSWD:ALL' }],
  ['an SSH key with a second line', { sshKeys: [`${KEY}\nruncmd: [reboot]`] }],
  ['an SSH key that is not a key', { sshKeys: ['!!python/object/apply:os.system ["reboot"]'] }],
  ['a time zone with a directive', { timezone: 'UTC\nruncmd: [reboot]' }],
  ['a time zone that does not exist', { timezone: 'Mars/Olympus' }],
  ['a password with a newline', { password: 'secret-one\nchpasswd: {expire: true}' }],
  ['a first-boot script without #!', { firstBootScript: 'reboot' }],
  ['a first-boot script with a NUL byte', { firstBootScript: '#!/bin/sh\n\u0000' }],
  ['a first-boot script over 64 KiB', { firstBootScript: `#!/bin/sh\n${'#'.repeat(64 * 1024)}` }],
];

for (const backend of BACKENDS) {
  describe(`deploy input (${backend})`, () => {
    const hangar = useTestHangar(backend);

    test('hostile guest settings are refused with a ValidationError and write nothing', async () => {
      const t = hangar();
      const admin = await setupAdmin(t);
      const image = await t.hangar.db
        .insertInto('images')
        .values({ name: 'ready image', format: 'qcow2', virtual_size_bytes: 2 * 1024 ** 3, file_size_bytes: 1, sha256: 'a'.repeat(64), status: 'ready', visibility: 'public', cloud_init: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      const imageId = Buffer.from(`Image:${image.id}`).toString('base64');
      for (const [what, guest] of HOSTILE) {
        const result = await t.gql(CREATE, { i: { name: 'x', vcpus: 1, memoryMb: 512, diskGb: 4, imageId, guest } }, { cookie: admin });
        assert.equal(result.data?.createVm?.__typename, 'ValidationError', `${what}: ${JSON.stringify(result)}`);
      }
      const small = await t.gql(CREATE, { i: { name: 'x', vcpus: 1, memoryMb: 512, diskGb: 1, imageId } }, { cookie: admin });
      assert.equal(small.data.createVm.__typename, 'ValidationError', 'a disk smaller than the image is refused');
      assert.match(small.data.createVm.message, /at least 2 GiB/);
      const both = await t.gql(CREATE, { i: { name: 'x', vcpus: 1, memoryMb: 512, diskGb: 4, imageId, isoPath: '/srv/x.iso' } }, { cookie: admin });
      assert.equal(both.data.createVm.__typename, 'ValidationError');
      const count = async (table: 'vms' | 'tasks' | 'ip_allocations') => Number((await t.hangar.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      assert.deepEqual([await count('vms'), await count('tasks'), await count('ip_allocations')], [0, 0, 0]);
    });

    test('a quota refusal names every dimension that is over, with what is left, and makes nothing', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const user = await userWithRole(t, admin, 'User');
      const quota = await t.gql('mutation($id: ID!, $q: QuotaInput!) { setQuota(userId: $id, input: $q) { __typename } }', { id: user.id, q: { maxVms: 3, maxVcpus: 4, maxMemoryMb: 3072, maxDiskGb: 100 } }, { cookie: admin });
      assert.equal(quota.data?.setQuota?.__typename, 'Quota', JSON.stringify(quota));
      // The user already has a VM of 2 vCPUs and 2 GiB: 2 vCPUs and 1 GiB are left.
      const now = new Date();
      await t.hangar.db.insertInto('vms').values({ name: 'existing', owner_id: Buffer.from(user.id, 'base64').toString().split(':')[1], host_id: null, image_id: null, vcpus: 2, memory_mb: 2048, disk_gb: 10, iso_path: null, state_message: null, mac_address: null, state: 'stopped', created_at: now, updated_at: now }).execute();
      const before = await t.hangar.db.selectFrom('vms').select('id').execute();
      // The form reads what is left from the same count the refusal uses.
      const usage = await t.gql('{ me { quotaUsage { vms vcpus memoryMb diskGb } } }', {}, { cookie: user.cookie });
      assert.deepEqual(usage.data.me.quotaUsage, { vms: 1, vcpus: 2, memoryMb: 2048, diskGb: 10 });
      const refused = await t.gql(QUOTA_CREATE, { i: { name: 'big', vcpus: 4, memoryMb: 4096, diskGb: 20 } }, { cookie: user.cookie });
      assert.equal(refused.data?.createVm?.__typename, 'QuotaExceededError', JSON.stringify(refused));
      assert.equal(refused.data.createVm.message, 'Over your quota: vCPUs need 4, 2 left; memory needs 4 GiB, 1 GiB left');
      assert.equal(refused.data.createVm.resource, 'vcpus');
      // Disk alone over, with nothing left of the memory: "none left", and the disk named.
      const disk = await t.gql(QUOTA_CREATE, { i: { name: 'wide', vcpus: 1, memoryMb: 1536, diskGb: 200 } }, { cookie: user.cookie });
      assert.equal(disk.data.createVm.message, 'Over your quota: memory needs 1.5 GiB, 1 GiB left; disk needs 200 GiB, 90 GiB left');
      const full = await t.gql('mutation($id: ID!, $q: QuotaInput!) { setQuota(userId: $id, input: $q) { __typename } }', { id: user.id, q: { maxVms: 1, maxVcpus: 2, maxMemoryMb: 3072 } }, { cookie: admin });
      assert.equal(full.data.setQuota.__typename, 'Quota');
      const noSlot = await t.gql(QUOTA_CREATE, { i: { name: 'more', vcpus: 1, memoryMb: 768, diskGb: 4 } }, { cookie: user.cookie });
      assert.equal(noSlot.data.createVm.message, 'Over your quota: VMs: 1 of 1 in use; vCPUs need 1, none left');
      assert.equal(noSlot.data.createVm.resource, 'vms');
      assert.deepEqual(await t.hangar.db.selectFrom('vms').select('id').execute(), before);
    });
  });
}
