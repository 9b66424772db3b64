import { z } from 'zod';
import { defineOperation, VM_STATES } from './define.ts';
import { diskRowsOf } from './disks.ts';

/** Powers off, removes the domain and every volume of the VM; safe to run again after a failure. */
export const vmDelete = defineOperation({
  name: 'vm.delete',
  steps: ['Power off', 'Remove the domain', 'Delete the volumes'],
  privileges: ['VM.Delete'],
  from: VM_STATES.filter((s) => s !== 'deleting' && s !== 'deleted'),
  // A VM whose host is gone or offline can still go: its task waits for the host.
  needsOnlineHost: false,
  failure: 'keep',
  during: 'deleting',
  params: z.object({}),
  action: { action: 'DELETE', label: 'Delete', description: 'Powers the VM off and removes its domain and every volume' },
  async run(ctx) {
    const { hypervisor, vm, settings } = ctx;
    await ctx.step('Power off', () => hypervisor.destroy(vm.id));
    await ctx.step('Remove the domain', () => hypervisor.undefine(vm.id));
    await ctx.step('Delete the volumes', async () => {
      // Every volume Hangar makes for a VM is named after its id (disk, cloud-init seed, …).
      const mine = (await hypervisor.listVolumes(settings.diskPool)).filter((name) => name.startsWith(vm.id));
      for (const name of mine) await hypervisor.deleteVolume(settings.diskPool, name);
      // Disks attached in a pool of their own (disks.ts).
      const elsewhere = (await diskRowsOf(ctx)).filter((d) => d.pool !== null && d.pool !== settings.diskPool);
      for (const disk of elsewhere) await hypervisor.deleteVolume(disk.pool!, disk.volume);
      await ctx.line(`deleted ${mine.length + elsewhere.length} volume(s)`);
    });
  },
});
