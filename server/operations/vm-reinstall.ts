import { defineOperation } from './define.ts';
import { INSTALL_STEPS, installFromImage, installParams } from './install.ts';
import { diskVolumeName, seedVolumeName } from './volumes.ts';

/** A fresh disk from the VM's image (or the one asked), same VM id, MAC and address. */
export const vmReinstall = defineOperation({
  name: 'vm.reinstall',
  steps: ['Power off', ...INSTALL_STEPS],
  privileges: ['VM.Create'],
  from: ['running', 'stopped', 'paused', 'stopping', 'crashed', 'error', 'unknown'],
  needsOnlineHost: true,
  // The old disk is gone from the first step on: a failed reinstall leaves no usable VM.
  failure: 'error',
  cancellable: false,
  during: 'creating',
  refuses: (vm) => (vm.guest_config ? null : 'The VM was not deployed from an image: there is nothing to reinstall from'),
  params: installParams,
  action: { action: 'REINSTALL', label: 'Reinstall', description: 'A fresh disk from its image, or another one; same VM id, MAC and address' },
  async run(ctx) {
    const { hypervisor, settings, vm } = ctx;
    await ctx.step('Power off', async () => {
      // The old disk is thrown away, so there is nothing to shut down cleanly for.
      await hypervisor.destroy(vm.id);
      await hypervisor.deleteVolume(settings.diskPool, diskVolumeName(vm.id));
      await hypervisor.deleteVolume(settings.diskPool, seedVolumeName(vm.id));
    });
    await installFromImage(ctx);
  },
});
