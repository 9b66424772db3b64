// The disk operations on a host in memory: what a guest that keeps its disk, a failed attach and a
// redefine leave behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domainXml } from '../../server/hypervisor/domain-xml.ts';
import { vmDiskAttach } from '../../server/operations/vm-disk-attach.ts';
import { vmDiskDetach } from '../../server/operations/vm-disk-detach.ts';
import { DISK_POOL, OperationBench } from '../support/operation-harness.ts';

test('a guest that does not release a disk within the timeout gets a clear error, and the disk stays attached', async () => {
  const b = new OperationBench('running');
  b.hypervisor.guestCooperates = false;
  const disk = b.disks[1];
  const failure = await b.run(vmDiskDetach, { diskId: disk.id, deleteVolume: true, timeoutSeconds: 1 });
  assert.match(failure!.error.message, /did not release vdb within 1 s.*the disk stays attached/);
  assert.ok(b.disks.some((d) => d.id === disk.id), 'its row is kept');
  assert.ok(b.hypervisor.pools.get(DISK_POOL)!.has(disk.volume), 'its volume is kept');
  assert.ok(b.hypervisor.diskDevices.get(b.vm.id)!.has('vdb'), 'it is still in the domain');
  assert.ok(!b.hypervisor.calls.some((c) => c.method === 'detachDisk' && c.args[2] === 'config'), 'the definition was not touched');
});

test('an attach that fails leaves no volume and no row behind', async () => {
  const b = new OperationBench('running');
  const disk = b.unplugDisk();
  b.hypervisor.failOn('attachDisk', 1, new Error('internal error: unable to execute QEMU command device_add: no free slot'));
  const failure = await b.run(vmDiskAttach, { diskId: disk.id, sizeGiB: 1, bus: 'virtio' });
  assert.match(failure!.error.message, /no free slot/);
  assert.equal(failure!.rollback, 'done');
  assert.ok(!b.hypervisor.pools.get(DISK_POOL)!.has(disk.volume));
  assert.ok(!b.disks.some((d) => d.id === disk.id));
});

test('a SATA disk attached to a running VM goes into its definition only, with a warning', async () => {
  const b = new OperationBench('running');
  const disk = b.unplugDisk();
  b.disks[1] = { ...disk, bus: 'sata', target: 'sdc' };
  assert.equal(await b.run(vmDiskAttach, { diskId: disk.id, sizeGiB: 1, bus: 'sata' }), null);
  const call = b.hypervisor.calls.find((c) => c.method === 'attachDisk')!;
  assert.equal(call.args[2], false, 'not live');
  assert.match(b.warnings.join('\n'), /SATA disk cannot be plugged into a running VM/);
});

test('the domain XML holds every disk with its target, bus and I/O limits, and a SCSI controller for SCSI disks', () => {
  const xml = domainXml({
    id: '00000000-0000-4000-8000-000000000001',
    title: 't',
    description: '',
    domainType: 'qemu',
    vcpus: 1,
    memoryMb: 128,
    disks: [
      { path: '/d/boot.qcow2', format: 'qcow2', target: 'vda', bus: 'virtio', ioLimits: { readBytesSec: 4194304 } },
      { path: '/d/data.qcow2', format: 'qcow2', target: 'sdc', bus: 'scsi', ioLimits: null },
    ],
    vncListen: '127.0.0.1',
    guestAgent: true,
  });
  assert.match(xml, /<target dev="vda" bus="virtio"><\/target>\s*<iotune>\s*<read_bytes_sec>4194304<\/read_bytes_sec>|<target dev="vda" bus="virtio"\/>\s*<iotune>\s*<read_bytes_sec>4194304<\/read_bytes_sec>/);
  assert.match(xml, /<target dev="sdc" bus="scsi"/);
  assert.match(xml, /<controller type="scsi" index="0" model="virtio-scsi"/);
});
