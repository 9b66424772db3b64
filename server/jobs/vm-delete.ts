import type { Operation } from './operation.ts';

/** Powers off, removes the domain and every volume of the VM; safe to run again after a failure. */
export const vmDelete: Operation = {
  name: 'vm.delete',
  async run(ctx) {
    const { virsh, vm, settings } = ctx;
    await ctx.step('Power off', () => virsh.destroy(vm.id));
    await ctx.step('Remove the domain', () => virsh.undefine(vm.id));
    await ctx.step('Delete the volumes', async () => {
      // Every volume Hangar makes for a VM is named after its id (disk, cloud-init seed, …).
      const mine = (await virsh.listVolumes(settings.diskPool)).filter((name) => name.startsWith(vm.id));
      for (const name of mine) await virsh.deleteVolume(settings.diskPool, name);
      await ctx.line(`deleted ${mine.length} volume(s)`);
    });
  },
};
