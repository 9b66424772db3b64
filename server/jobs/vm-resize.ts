import { domainXml } from '../hypervisor/domain-xml.ts';
import { seedVolumeName } from './install.ts';
import { GiB, type Operation } from './operation.ts';
import { shutDownCleanly } from './power.ts';
import { diskVolumeName, specOf } from './vm-create.ts';

/** New vCPUs and memory (the domain is redefined while off) and a bigger disk; restarts it if it ran. */
export const vmResize: Operation = {
  name: 'vm.resize',
  async run(ctx) {
    const { virsh, settings, vm } = ctx;
    const wasRunning = await shutDownCleanly(ctx, 'Power off');
    await ctx.step('Change the domain', async () => {
      const disk = await virsh.volumePath(settings.diskPool, diskVolumeName(vm.id));
      if (!disk) throw new Error('The VM has no disk on its host');
      const seed = await virsh.volumePath(settings.diskPool, seedVolumeName(vm.id));
      await virsh.define(domainXml({ ...specOf(ctx, disk), seedPath: seed, macAddress: vm.mac_address }));
    });
    await ctx.step('Grow the disk', () => virsh.resizeVolume(settings.diskPool, diskVolumeName(vm.id), vm.disk_gb * GiB));
    if (wasRunning) await ctx.step('Start the VM', () => virsh.start(vm.id));
    else await ctx.skip('Start the VM', 'It was not running');
  },
};
