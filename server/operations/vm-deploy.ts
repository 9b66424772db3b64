import { defineOperation } from './define.ts';
import { INSTALL_STEPS, installFromImage, installParams } from './install.ts';
import { diskVolumeName, removeDomainAndVolumes, seedVolumeName } from './volumes.ts';

/** A VM from an image: cached image, overlay disk grown to size, cloud-init seed, domain, agent. */
export const vmDeploy = defineOperation({
  name: 'vm.deploy',
  steps: ['Place the VM and its address', ...INSTALL_STEPS],
  privileges: ['VM.Create'],
  from: ['creating'],
  needsOnlineHost: true,
  failure: 'error',
  during: 'creating',
  cancellable: 'between-steps',
  params: installParams,
  action: { action: 'DEPLOY', label: 'Deploy', description: 'Makes a VM from an image' },
  async run(ctx) {
    const { address } = ctx.params;
    const network = ctx.vm.network;
    const nic = !network ? 'no NIC (the host gives VMs no network)' : `${address ? `address ${address}` : 'address by DHCP'} on ${network.kind} ${network.name}`;
    await ctx.step('Place the VM and its address', async (progress) => {
      await progress(100, `On ${ctx.host.name}, ${nic}`);
    });
    await installFromImage(ctx);
  },
  rollback: (ctx) => removeDomainAndVolumes(ctx, [diskVolumeName(ctx.vm.id), seedVolumeName(ctx.vm.id)]),
});
