// Images and volumes on real libvirtd (qemu:///system) and real qemu-img, no mocks. A temporary
// directory pool; everything created is removed, and the last test proves it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, open, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { convertImage, ImageRejectedError, inspectImage, sha256File, type ImageRejection } from '../../server/hypervisor/qemu-img.ts';
import { hypervisorFor } from '../../server/hypervisor/libvirt-hypervisor.ts';
import { virsh as virshCli, volumeExists } from '../support/libvirt.ts';

const exec = promisify(execFile);
const virsh = hypervisorFor({ uri: 'qemu:///system' }, { timeoutMs: 30_000 });
const run = randomUUID().slice(0, 8);
const pool = `hangar-test-storage-${run}`;
const poolParent = '/var/lib/libvirt/hangar-test';
const poolPath = join(poolParent, `storage-${run}`);
const MiB = 1024 * 1024;
let work: string;

async function qemuImg(...args: string[]): Promise<string> {
  return (await exec('qemu-img', args, { env: { ...process.env, LC_ALL: 'C' } })).stdout;
}

async function info(path: string): Promise<Record<string, any>> {
  return JSON.parse(await qemuImg('info', '--output=json', '-U', path));
}

/** A raw disk: 4 MiB, MBR boot signature, a recognisable pattern. */
async function mbrRaw(path: string): Promise<void> {
  const data = Buffer.alloc(4 * MiB);
  for (let i = 0; i < data.length; i += 4096) data.write(`block ${i}`, i);
  data[510] = 0x55;
  data[511] = 0xaa;
  await writeFile(path, data);
}

/** A 64 MiB qcow2 with 1 MiB of data at offset 0. */
async function qcow2(path: string, ...createArgs: string[]): Promise<void> {
  await qemuImg('create', '-q', '-f', 'qcow2', ...createArgs, path, '64M');
}

async function rejected(path: string, reason: ImageRejection): Promise<void> {
  await assert.rejects(inspectImage(path), (error: unknown) => {
    assert.ok(error instanceof ImageRejectedError, String(error));
    assert.equal(error.reason, reason, error.message);
    assert.ok(error.message.length > 10);
    return true;
  });
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'hangar-storage-test-'));
  await virsh.ensurePool(pool, poolPath);
});

after(async () => {
  // Fallback when a test failed before the clean-up test: best effort, each step on its own.
  if (await virshCli('pool-info', pool).then(() => true, () => false)) {
    for (const name of await virsh.listVolumes(pool).catch(() => [] as string[])) await virsh.deleteVolume(pool, name).catch(() => {});
    await virsh.run(['pool-destroy', '--pool', pool]).catch(() => {});
    await virsh.run(['pool-undefine', '--pool', pool]).catch(() => {});
  }
  await rm(poolPath, { recursive: true, force: true });
  await rmdir(poolParent).catch(() => {}); // only when no other run uses it
  await rm(work, { recursive: true, force: true });
});

describe('inspectImage', () => {
  test('accepts a qcow2 and a raw disk with an MBR', async () => {
    const q = join(work, 'ok.qcow2');
    await qcow2(q);
    const qi = await inspectImage(q);
    assert.equal(qi.format, 'qcow2');
    assert.equal(qi.virtualSizeBytes, 64 * MiB);
    assert.ok(qi.fileSizeBytes > 0 && qi.fileSizeBytes < MiB);
    const r = join(work, 'ok.raw');
    await mbrRaw(r);
    assert.deepEqual(await inspectImage(r), { format: 'raw', virtualSizeBytes: 4 * MiB, fileSizeBytes: 4 * MiB });
  });

  test('accepts a raw disk with a GPT header', async () => {
    const r = join(work, 'gpt.raw');
    const data = Buffer.alloc(MiB);
    data.write('EFI PART', 512, 'latin1');
    await writeFile(r, data);
    assert.equal((await inspectImage(r)).format, 'raw');
  });

  test('refuses a text file', async () => {
    const t = join(work, 'notes.txt');
    await writeFile(t, 'just some text\n'.repeat(200));
    await rejected(t, 'NOT_AN_IMAGE');
  });

  test('refuses vmdk, vdi and an ISO that also carries an MBR', async () => {
    for (const format of ['vmdk', 'vdi']) {
      const f = join(work, `disk.${format}`);
      await qemuImg('create', '-q', '-f', format, f, '64M');
      await rejected(f, 'UNSUPPORTED_FORMAT');
    }
    const iso = join(work, 'hybrid.iso');
    await writeFile(join(work, 'readme'), 'hello');
    await exec('genisoimage', ['-quiet', '-output', iso, '-volid', 'TEST', join(work, 'readme')]);
    const handle = await open(iso, 'r+');
    await handle.write(Buffer.from([0x55, 0xaa]), 0, 2, 510);
    await handle.close();
    await rejected(iso, 'UNSUPPORTED_FORMAT');
  });

  test('refuses a qcow2 with a backing file, also a hostile one, without opening it', async () => {
    const plain = join(work, 'base.qcow2');
    await qcow2(plain);
    const overlay = join(work, 'overlay.qcow2');
    await qemuImg('create', '-q', '-f', 'qcow2', '-b', plain, '-F', 'qcow2', overlay);
    await rejected(overlay, 'BACKING_FILE');
    // -u: qemu-img create does not open the backing either; these must not be read by anyone.
    const shadow = join(work, 'shadow.qcow2');
    await qemuImg('create', '-q', '-u', '-f', 'qcow2', '-b', '/etc/shadow', '-F', 'raw', shadow, '64M');
    await rejected(shadow, 'BACKING_FILE');
    const json = join(work, 'json.qcow2');
    await qemuImg('create', '-q', '-u', '-f', 'qcow2', '-b', 'json:{"driver":"nbd","server":{"type":"inet","host":"192.0.2.1","port":"10809"}}', '-F', 'raw', json, '64M');
    await rejected(json, 'BACKING_FILE');
  });

  test('refuses a qcow2 with an external data file', async () => {
    const f = join(work, 'external.qcow2');
    await qcow2(f, '-o', `data_file=${join(work, 'external.data')}`);
    await rejected(f, 'DATA_FILE');
  });

  test('refuses a qcow2 that qemu-img check finds corrupt', async () => {
    const f = join(work, 'corrupt.qcow2');
    await qcow2(f);
    await exec('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 64k', f]);
    // Point the first L1 entry at the header cluster: its L2 "table" is then garbage.
    const handle = await open(f, 'r+');
    const header = Buffer.alloc(48);
    await handle.read(header, 0, 48, 0);
    const l1 = Number(header.readBigUInt64BE(40));
    const entry = Buffer.alloc(8);
    entry.writeBigUInt64BE(0x8000000000000000n);
    await handle.write(entry, 0, 8, l1);
    await handle.close();
    await rejected(f, 'CORRUPT');
  });

  test('refuses what is not a regular file', async () => {
    await rejected('/dev/null', 'NOT_AN_IMAGE');
  });
});

describe('volumes', () => {
  let base: string;
  let baseSha: string;

  test('uploadVolume: a qcow2 upload is a qcow2 volume for libvirt, byte for byte', async () => {
    const src = join(work, 'upload.qcow2');
    await qcow2(src);
    await exec('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xcd 0 1M', src]);
    baseSha = await sha256File(src);
    base = await virsh.uploadVolume(pool, 'base.qcow2', src, 'qcow2');
    assert.equal(base, join(poolPath, 'base.qcow2'));
    assert.match(await virshCli('vol-dumpxml', '--pool', pool, 'base.qcow2'), /<format type='qcow2'\/>/);
    assert.deepEqual((await virsh.volumeInfo(pool, 'base.qcow2'))?.capacityBytes, 64 * MiB);
    assert.equal(await sha256File(base), baseSha);
  });

  test('createOverlay on the upload, then resizeVolume to twice the size', async () => {
    const overlay = await virsh.createOverlay(pool, 'overlay.qcow2', base, 64 * MiB, 'qcow2');
    const before = await info(overlay);
    assert.equal(before['backing-filename'], base);
    assert.equal(before['backing-filename-format'], 'qcow2');
    await virsh.resizeVolume(pool, 'overlay.qcow2', 128 * MiB);
    await virsh.resizeVolume(pool, 'overlay.qcow2', 128 * MiB); // already that size: fine
    await virsh.resizeVolume(pool, 'overlay.qcow2', 32 * MiB); // larger already: never shrinks
    const after = await info(overlay);
    assert.equal(after['virtual-size'], 128 * MiB);
    assert.equal(after['backing-filename'], base);
    assert.equal((await virsh.volumeInfo(pool, 'overlay.qcow2'))?.capacityBytes, 128 * MiB);
    // The overlay reads the upload's data through its backing file.
    const { stdout } = await exec('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', 'read -P 0xcd 0 1M', overlay]);
    assert.match(stdout, /read 1048576\/1048576 bytes/);
  });

  test('copyVolume gives a standalone copy with the same content', async () => {
    const copy = await virsh.copyVolume(pool, 'overlay.qcow2', pool, 'copy.qcow2', 'qcow2');
    const i = await info(copy);
    assert.equal(i.format, 'qcow2');
    assert.equal(i['backing-filename'], undefined);
    assert.equal(i['virtual-size'], 128 * MiB);
    await qemuImg('compare', '-U', '-f', 'qcow2', '-F', 'qcow2', join(poolPath, 'overlay.qcow2'), copy);
    assert.equal((await inspectImage(copy)).format, 'qcow2');
  });

  test('downloadVolume round-trips the sha256 of a qcow2 and a raw upload', async () => {
    const back = join(work, 'back.qcow2');
    await virsh.downloadVolume(pool, 'base.qcow2', back);
    assert.equal(await sha256File(back), baseSha);
    const raw = join(work, 'upload.raw');
    await mbrRaw(raw);
    const path = await virsh.uploadVolume(pool, 'disk.raw', raw, 'raw');
    assert.match(await virshCli('vol-dumpxml', '--pool', pool, 'disk.raw'), /<format type='raw'\/>/);
    const rawBack = join(work, 'back.raw');
    await virsh.downloadVolume(pool, 'disk.raw', rawBack);
    assert.equal(await sha256File(rawBack), await sha256File(raw));
    assert.equal(await sha256File(path), await sha256File(raw));
  });

  test('a failed upload leaves no half-made volume behind', async () => {
    // An MBR disk declared qcow2: libvirt reads it as raw, the upload is refused and removed.
    const raw = join(work, 'mislabelled.raw');
    await mbrRaw(raw);
    await assert.rejects(virsh.uploadVolume(pool, 'mislabelled.qcow2', raw, 'qcow2'), /uploaded as qcow2 but libvirt reads it as raw/);
    assert.equal(await volumeExists(pool, 'mislabelled.qcow2'), false);
    // An existing volume of that name is not ours to delete.
    await assert.rejects(virsh.uploadVolume(pool, 'base.qcow2', raw, 'raw'), /exists/);
    assert.equal(await volumeExists(pool, 'base.qcow2'), true);
  });

  test('volumeInfo is null for an absent volume; names are checked', async () => {
    assert.equal(await virsh.volumeInfo(pool, 'absent.qcow2'), null);
    await assert.rejects(virsh.uploadVolume(pool, '../escape', '/dev/null', 'raw'), /invalid volume name/);
    await assert.rejects(virsh.createOverlay(pool, 'rel.qcow2', 'base.qcow2', MiB, 'qcow2'), /must be absolute/);
  });
});

describe('convertImage', () => {
  test('compressed conversion gives a standalone qcow2 with the same content, with progress', async () => {
    const src = join(work, 'convert-src.raw');
    await mbrRaw(src);
    const dst = join(work, 'converted.qcow2');
    const progress: number[] = [];
    await convertImage(src, dst, { compress: true, onProgress: (p) => progress.push(p) });
    assert.equal(progress.at(-1), 100);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    const i = await info(dst);
    assert.equal(i.format, 'qcow2');
    assert.equal(i['backing-filename'], undefined);
    assert.equal(i['virtual-size'], 4 * MiB);
    await qemuImg('compare', '-f', 'raw', '-F', 'qcow2', src, dst);
    assert.equal((await inspectImage(dst)).format, 'qcow2');
  });

  test('refuses to convert a qcow2 with a backing file, and leaves no output', async () => {
    const src = join(work, 'convert-overlay.qcow2');
    await qemuImg('create', '-q', '-u', '-f', 'qcow2', '-b', '/etc/shadow', '-F', 'raw', src, '64M');
    const dst = join(work, 'never.qcow2');
    await assert.rejects(convertImage(src, dst, { compress: false }), ImageRejectedError);
    await assert.rejects(open(dst, 'r'), /ENOENT/);
  });
});

describe('clean-up', () => {
  test('every volume and the pool are gone afterwards', async () => {
    // Overlay before its backing file.
    for (const name of ['copy.qcow2', 'overlay.qcow2', 'disk.raw', 'base.qcow2']) await virsh.deleteVolume(pool, name);
    assert.deepEqual(await virsh.listVolumes(pool), []);
    await virsh.run(['pool-destroy', '--pool', pool]);
    await virsh.run(['pool-undefine', '--pool', pool]);
    await assert.rejects(virshCli('pool-info', pool), /not found|failed to get pool/i);
  });
});
