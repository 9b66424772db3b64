import type { Operation } from './operation.ts';
import { cacheImage, createDisk, defineAndStart, growDisk, guestConfigOf, imageOf, seedVolumeName, waitForAgent, writeSeed } from './install.ts';
import { diskVolumeName } from './vm-create.ts';

/** A VM from an image: cached image, overlay disk grown to size, cloud-init seed, domain, agent. */
export const vmDeploy: Operation = {
  name: 'vm.deploy',
  async run(ctx) {
    const address = ctx.task.params.address;
    await ctx.step('Place the VM and its address', async (progress) => {
      await progress(100, `On ${ctx.host.name}${typeof address === 'string' ? `, address ${address}` : ', address by DHCP'}`);
    });
    const guest = guestConfigOf(ctx);
    const image = await imageOf(ctx, String(ctx.task.params.imageId ?? ctx.vm.image_id));
    const cached = await cacheImage(ctx, image);
    const disk = await createDisk(ctx, image, cached, guest);
    await growDisk(ctx);
    const seed = await writeSeed(ctx, guest);
    await defineAndStart(ctx, disk, seed);
    await waitForAgent(ctx);
  },
  async rollback({ vm, virsh, settings }) {
    await virsh.destroy(vm.id);
    await virsh.undefine(vm.id);
    await virsh.deleteVolume(settings.diskPool, diskVolumeName(vm.id));
    await virsh.deleteVolume(settings.diskPool, seedVolumeName(vm.id));
  },
};
