import { z } from 'zod';
import { defineOperation } from './define.ts';
import { domainRuns, isoOnHost, redefine } from './vm-hardware.ts';

/** Puts an ISO of the catalogue into the VM's CD-ROM (null: ejects it), in the running VM too when it has the drive. */
export const vmMedia = defineOperation({
  name: 'vm.media',
  steps: ['Copy the ISO to the host', 'Change the medium'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused', 'crashed'],
  needsOnlineHost: true,
  failure: 'keep',
  cancellable: false,
  // The medium is on the VM's row already; this is for the record.
  params: z.object({ imageId: z.uuid().nullable() }),
  action: { action: 'CHANGE_MEDIA', label: 'Insert or eject an ISO', description: 'Puts an ISO of the image library into the VM\u2019s CD-ROM, or ejects it' },
  async run(ctx) {
    const { imageId } = ctx.params;
    const path = imageId ? await ctx.step('Copy the ISO to the host', () => isoOnHost(ctx, imageId)) : null;
    if (!imageId) await ctx.skip('Copy the ISO to the host', 'Ejecting');
    await ctx.step('Change the medium', async () => {
      if (await domainRuns(ctx)) {
        // Domains defined before CD-ROM drives were given to every VM have none, and SATA drives cannot be hot-plugged.
        if (await ctx.hypervisor.hasCdromDrive(ctx.vm.id)) await ctx.hypervisor.changeMediaLive(ctx.vm.id, path);
        else await ctx.warn('The VM has no CD-ROM drive until its next start (it was defined without one): the change holds from then');
      }
      await redefine(ctx);
    });
  },
});
