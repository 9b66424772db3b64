import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineOperation } from './define.ts';
import { findDisk, poolOf, runsNow } from './disks.ts';

// Unplugging a disk: a running guest is asked to let go of it (ACPI hot-unplug) and given a while;
// only once it did is the disk taken out of the definition and its row removed, so a guest that
// keeps it leaves everything as it was, with an error that says so. The volume is kept or deleted.

const DEFAULT_TIMEOUT_S = 60;

export const vmDiskDetach = defineOperation({
  name: 'vm.disk-detach',
  steps: ['Unplug the disk', 'Delete the volume'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused'],
  needsOnlineHost: true,
  failure: 'keep',
  cancellable: false,
  params: z.object({
    diskId: z.uuid(),
    deleteVolume: z.boolean(),
    /** How long a running guest has to release the disk. */
    timeoutSeconds: z.number().int().min(1).max(3600).nullish(),
  }),
  action: { action: 'DETACH_DISK', label: 'Detach a disk', description: 'Unplugs a disk (the guest lets go of it while it runs); its volume is kept or deleted' },
  async run(ctx) {
    const { hypervisor, vm, params } = ctx;
    const disk = await findDisk(ctx, params.diskId);
    if (!disk) {
      // An earlier try finished.
      await ctx.skip('Unplug the disk', 'It is no longer attached');
      await ctx.skip('Delete the volume', 'Done by an earlier try');
      return;
    }
    if (disk.is_boot) throw new Error('The boot disk cannot be detached');
    await ctx.step('Unplug the disk', async (progress) => {
      if (await runsNow(ctx)) {
        const timeoutS = params.timeoutSeconds ?? DEFAULT_TIMEOUT_S;
        await progress(0, `Asking the guest to release ${disk.target}`);
        await hypervisor.detachDisk(vm.id, disk.target, 'live');
        const deadline = Date.now() + timeoutS * 1000;
        while ((await hypervisor.diskTargets(vm.id)).includes(disk.target)) {
          if (Date.now() > deadline) {
            throw new Error(`The guest did not release ${disk.target} within ${timeoutS} s (is it mounted or in use inside the guest?): the disk stays attached; unmount it in the guest and try again, or detach it while the VM is stopped`);
          }
          await sleep(500);
        }
      }
      await hypervisor.detachDisk(vm.id, disk.target, 'config');
      await ctx.services.forgetVmDisk(disk.id);
      await progress(100, `${disk.target} removed`);
    });
    if (!params.deleteVolume) await ctx.skip('Delete the volume', `Kept: ${disk.volume} in ${poolOf(ctx, disk)}`);
    else await ctx.step('Delete the volume', () => hypervisor.deleteVolume(poolOf(ctx, disk), disk.volume));
  },
});
