import type { Operation } from './operation.ts';
import { installFromImage, seedVolumeName } from './install.ts';
import { diskVolumeName } from './vm-create.ts';

/** A fresh disk from the VM's image (or the one asked), same VM id, MAC and address. */
export const vmReinstall: Operation = {
  name: 'vm.reinstall',
  async run(ctx) {
    const { virsh, settings, vm } = ctx;
    await ctx.step('Power off', async () => {
      // The old disk is thrown away, so there is nothing to shut down cleanly for.
      await virsh.destroy(vm.id);
      await virsh.deleteVolume(settings.diskPool, diskVolumeName(vm.id));
      await virsh.deleteVolume(settings.diskPool, seedVolumeName(vm.id));
    });
    await installFromImage(ctx);
  },
};
