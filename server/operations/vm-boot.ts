import { z } from 'zod';
import { defineOperation } from './define.ts';
import { BOOT_DEVICES, redefine } from './vm-hardware.ts';

/** Writes the VM's boot order (recorded by setVmBoot) into its definition; it holds from its next start. */
export const vmBoot = defineOperation({
  name: 'vm.boot',
  steps: ['Change the boot order'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused', 'crashed'],
  needsOnlineHost: true,
  failure: 'keep',
  cancellable: false,
  params: z.object({ order: z.array(z.enum(BOOT_DEVICES)).min(1).max(3), once: z.boolean() }),
  action: { action: 'SET_BOOT', label: 'Boot order', description: 'Sets the devices the VM boots from, in order, and whether its next start boots the CD-ROM once' },
  run: (ctx) => ctx.step('Change the boot order', () => redefine(ctx)),
});
