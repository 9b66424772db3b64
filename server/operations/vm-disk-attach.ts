import { z } from 'zod';
import { defineOperation, GiB } from './define.ts';
import { diskRow, diskSpecOf, findDisk, poolOf, runsNow } from './disks.ts';

// A blank disk for a VM: its volume made in its pool, then plugged into the running guest (and its
// definition), or into the definition of a stopped one. The row is written when it is asked for; a
// failure removes what was made, the row too: nothing is left behind.

export const vmDiskAttach = defineOperation({
  name: 'vm.disk-attach',
  steps: ['Create the volume', 'Attach the disk'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused'],
  needsOnlineHost: true,
  failure: 'rollback',
  cancellable: 'between-steps',
  params: z.object({ diskId: z.uuid(), sizeGiB: z.number().int(), bus: z.enum(['virtio', 'scsi', 'sata']), pool: z.string().nullish() }),
  action: { action: 'ATTACH_DISK', label: 'Attach a disk', description: 'A new blank disk, plugged in while the VM runs' },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    const disk = await diskRow(ctx, ctx.params.diskId);
    const pool = poolOf(ctx, disk);
    await ctx.step('Create the volume', async (progress) => {
      if (await hypervisor.volumePath(pool, disk.volume)) return progress(100, 'Made by an earlier try');
      await hypervisor.createVolume(pool, disk.volume, disk.size_gb * GiB, 'qcow2');
      await progress(100, `${disk.size_gb} GiB in ${pool}`);
    });
    await ctx.step('Attach the disk', async (progress) => {
      const spec = await diskSpecOf(ctx, disk);
      if (!spec) throw new Error(`The volume ${disk.volume} is not in ${pool}`);
      const live = await runsNow(ctx);
      // SATA (AHCI) takes no hot-plug: the disk is in the definition and appears at the next start.
      const hot = live && disk.bus !== 'sata';
      if ((await hypervisor.diskTargets(vm.id, { inactive: true })).includes(disk.target) && (!hot || (await hypervisor.diskTargets(vm.id)).includes(disk.target))) {
        return progress(100, 'Attached by an earlier try');
      }
      await hypervisor.attachDisk(vm.id, spec, hot);
      if (live && !hot) await ctx.warn(`A ${disk.bus.toUpperCase()} disk cannot be plugged into a running VM: ${disk.target} appears at the next start`);
      await progress(100, hot ? `Plugged in as ${disk.target}` : `Added to the definition as ${disk.target}`);
    });
  },
  async rollback(ctx) {
    const { hypervisor, vm } = ctx;
    const disk = await findDisk(ctx, ctx.params.diskId);
    if (disk) {
      if ((await hypervisor.domainState(vm.id)) !== null) {
        if (await runsNow(ctx)) await hypervisor.detachDisk(vm.id, disk.target, 'live').catch(() => {});
        await hypervisor.detachDisk(vm.id, disk.target, 'config');
      }
      await hypervisor.deleteVolume(poolOf(ctx, disk), disk.volume);
    }
    await ctx.services.forgetVmDisk(ctx.params.diskId);
  },
});
