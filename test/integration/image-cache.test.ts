// Cached copies of images on a host (image-<sha256>.qcow2 in its image pool, the base of VM disks):
// a worker removes a copy this installation made, unused for a day, of an image deleted from the
// catalogue, but never one a volume on the host still backs onto, one of an image still listed,
// one used lately, nor another installation's copy or a volume that is not a cached image; and
// none at all while a stopped domain has a disk outside every pool (its backing cannot be read).
// Real libvirtd (qemu:///system), Postgres, Redis and a `hangar worker`; the host gets pools of its
// own so other test files' cached images are out of reach. Everything is removed in `after`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { virsh, volumeExists, waitFor } from '../support/libvirt.ts';

const run = promisify(execFile);
const suffix = randomBytes(3).toString('hex');
const OUTSIDE_DOMAIN = `hangar-prune-outside-${suffix}`;
const IMAGE_POOL = `hangar-prune-images-${suffix}`;
const DISK_POOL = `hangar-prune-disks-${suffix}`;
const DELETE_IMAGE = 'mutation($id: ID!) { deleteImage(id: $id) { __typename ... on Error { message } } }';

const shaOf = (seed: string) => seed.repeat(64).slice(0, 64);
const cachedName = (sha: string) => `image-${sha.slice(0, 32)}.qcow2`;

async function createVolume(pool: string, name: string, backingPath?: string): Promise<string> {
  const backing = backingPath ? ['--backing-vol', backingPath, '--backing-vol-format', 'qcow2'] : [];
  await virsh('vol-create-as', '--pool', pool, '--name', name, '--capacity', '1M', '--format', 'qcow2', ...backing);
  return virsh('vol-path', '--pool', pool, '--vol', name);
}

/** Why pruning may be held up on this machine (any pool not running stops it, by design). */
async function inactivePools(): Promise<string> {
  return (await virsh('pool-list', '--inactive', '--name').catch((error: Error) => error.message)) || 'none';
}

describe('cached images on a host', () => {
  let t: TestHangar;
  let admin: string;
  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '1', HANGAR_IMAGE_CACHE_PRUNE_SECONDS: '1' }, { processes: ['api', 'worker'] });
    admin = await setupAdmin(t);
    const added = await t.gql(
      `mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Host { id } ... on Error { message } } }`,
      { input: { name: 'prune', uri: 'qemu:///system', domainType: 'QEMU', settings: { imagePool: IMAGE_POOL, diskPool: DISK_POOL } } },
      { cookie: admin },
    );
    assert.equal(added.data?.addHost?.__typename, 'Host', JSON.stringify(added));
  });

  after(async () => {
    await t?.stop();
    await virsh('destroy', OUTSIDE_DOMAIN).catch(() => {});
    await virsh('undefine', OUTSIDE_DOMAIN).catch(() => {});
    for (const pool of [DISK_POOL, IMAGE_POOL]) {
      for (const name of (await virsh('vol-list', '--pool', pool).catch(() => '')).split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean)) {
        await virsh('vol-delete', '--pool', pool, '--vol', name).catch(() => {});
      }
      await virsh('pool-destroy', pool).catch(() => {});
      await virsh('pool-delete', pool).catch(() => {});
      await virsh('pool-undefine', pool).catch(() => {});
    }
  });

  test('the copy of a deleted image goes; a listed image\u2019s, a recently used one, one a disk backs onto and another installation\u2019s stay', async () => {
    const db = t.hangar.db;
    const owner = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const hostId = (await db.selectFrom('hosts').select('id').where('name', '=', 'prune').executeTakeFirstOrThrow()).id;
    const [listed, deleted, backed, recent, foreign] = [shaOf('a1'), shaOf('b2'), shaOf('c3'), shaOf('d4'), shaOf('e5')];
    const rows = await db
      .insertInto('images')
      .values([listed, deleted, backed, recent, foreign].map((sha256, i) => ({ name: `cached ${i}`, format: 'qcow2', sha256, status: 'ready', owner_id: owner.id, file_size_bytes: 1, virtual_size_bytes: 1 })))
      .returning(['id', 'sha256'])
      .execute();
    const idOf = (sha: string) => encodeGlobalID('Image', rows.find((r) => r.sha256 === sha)!.id);

    const twoDaysAgo = new Date(Date.now() - 2 * 86400_000);
    for (const sha of [listed, deleted, backed, recent, foreign]) await createVolume(IMAGE_POOL, cachedName(sha));
    // This installation made all but the foreign copy; only the recent one was used lately.
    await db
      .insertInto('image_cache_copies')
      .values([listed, deleted, backed, recent].map((sha256) => ({ host_id: hostId, name: cachedName(sha256), sha256, used_at: sha256 === recent ? new Date() : twoDaysAgo })))
      .execute();
    await createVolume(IMAGE_POOL, 'notes.qcow2');
    // A VM disk (of a VM this catalogue does not know: another installation's, say) on one copy.
    await createVolume(DISK_POOL, 'foreign-vm.qcow2', await virsh('vol-path', '--pool', IMAGE_POOL, '--vol', cachedName(backed)));

    // While every image is listed, several passes remove nothing.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const sha of [listed, deleted, backed, recent, foreign]) assert.equal(await volumeExists(IMAGE_POOL, cachedName(sha)), true, sha);

    // The image of `deleted` goes last: the pass that removes its copy had every other one to judge.
    for (const sha of [backed, recent, foreign, deleted]) {
      const result = await t.gql(DELETE_IMAGE, { id: idOf(sha) }, { cookie: admin });
      assert.equal(result.data?.deleteImage?.__typename, 'Image', JSON.stringify(result));
    }
    await waitFor('the deleted image\u2019s copy to be removed', async () => !(await volumeExists(IMAGE_POOL, cachedName(deleted))), 20_000, 200).catch(async (error: Error) => {
      throw new Error(`${error.message}; pools not running: ${await inactivePools()}`);
    });
    assert.equal(await db.selectFrom('image_cache_copies').select('name').where('name', '=', cachedName(deleted)).executeTakeFirst(), undefined, 'its record goes with it');
    assert.equal(await volumeExists(IMAGE_POOL, cachedName(backed)), true, 'a disk backs onto it');
    assert.equal(await volumeExists(IMAGE_POOL, cachedName(recent)), true, 'a deploy used it lately');
    assert.equal(await volumeExists(IMAGE_POOL, cachedName(foreign)), true, 'this installation did not make it');
    assert.equal(await volumeExists(IMAGE_POOL, cachedName(listed)), true, 'its image is listed');
    assert.equal(await volumeExists(IMAGE_POOL, 'notes.qcow2'), true, 'not a cached image');
    assert.equal(await volumeExists(DISK_POOL, 'foreign-vm.qcow2'), true);

    // Once that disk is gone, nothing needs the copy.
    await virsh('vol-delete', '--pool', DISK_POOL, '--vol', 'foreign-vm.qcow2');
    await waitFor('the copy nothing backs onto any more to be removed', async () => !(await volumeExists(IMAGE_POOL, cachedName(backed))), 20_000, 200);
    for (const sha of [recent, foreign, listed]) assert.equal(await volumeExists(IMAGE_POOL, cachedName(sha)), true, sha);
  });

  test('a domain disk in no pool that backs onto a copy: stopped, it keeps every copy (its backing cannot be read); running, it keeps its own', async () => {
    const db = t.hangar.db;
    const hostId = (await db.selectFrom('hosts').select('id').where('name', '=', 'prune').executeTakeFirstOrThrow()).id;
    const sha = shaOf('f6'); // no image has this content
    const basePath = await createVolume(IMAGE_POOL, cachedName(sha));
    await db.insertInto('image_cache_copies').values({ host_id: hostId, name: cachedName(sha), sha256: sha, used_at: new Date(Date.now() - 2 * 86400_000) }).execute();
    // A disk made by hand outside every pool, on the copy, of a domain Hangar does not know.
    const dir = await mkdtemp(join(tmpdir(), 'hangar-prune-'));
    await chmod(dir, 0o755); // QEMU runs as libvirt-qemu
    const disk = join(dir, 'outside.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', basePath, '-F', 'qcow2', disk]);
    await writeFile(
      join(dir, 'domain.xml'),
      `<domain type='qemu'><name>${OUTSIDE_DOMAIN}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>` +
        `<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk></devices></domain>`,
    );
    try {
      await virsh('define', join(dir, 'domain.xml'));
      // Passes run every second.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal(await volumeExists(IMAGE_POOL, cachedName(sha)), true, 'a stopped domain\u2019s disk outside every pool backs onto it');
      // Running, libvirt shows the disk's whole chain, the copy in it: still kept.
      await virsh('start', OUTSIDE_DOMAIN);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal(await volumeExists(IMAGE_POOL, cachedName(sha)), true, 'a running domain\u2019s disk backs onto it');
    } finally {
      await virsh('destroy', OUTSIDE_DOMAIN).catch(() => {});
      await virsh('undefine', OUTSIDE_DOMAIN).catch(() => {});
    }
    await waitFor('the copy to be removed once the domain is gone', async () => !(await volumeExists(IMAGE_POOL, cachedName(sha))), 20_000, 200);
    await rm(dir, { recursive: true, force: true });
  });
});
