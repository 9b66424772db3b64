import type { Operation } from './operation.ts';
import { installFromImage, seedVolumeName } from './install.ts';
import { diskVolumeName } from './vm-create.ts';

/** A VM from an image: cached image, overlay disk grown to size, cloud-init seed, domain, agent. */
export const vmDeploy: Operation = {
  name: 'vm.deploy',
  async run(ctx) {
    const address = ctx.task.params.address;
    await ctx.step('Place the VM and its address', async (progress) => {
      await progress(100, `On ${ctx.host.name}${typeof address === 'string' ? `, address ${address}` : ', address by DHCP'}`);
    });
    await installFromImage(ctx);
  },
  async rollback({ vm, virsh, settings }) {
    await virsh.destroy(vm.id);
    await virsh.undefine(vm.id);
    await virsh.deleteVolume(settings.diskPool, diskVolumeName(vm.id));
    await virsh.deleteVolume(settings.diskPool, seedVolumeName(vm.id));
  },
};
