// What a user types for the guest goes into cloud-init: every field is checked before anything
// is written, and hostile values are refused with a typed error (no VM, no task, no job).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BACKENDS, setupAdmin, useTestHangar } from '../support/hangar.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on ValidationError { message fieldErrors { path message } } ... on Error { message } } }`;
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
  });
}
