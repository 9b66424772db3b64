import { z } from 'zod';
import { defineOperation, GiB } from './define.ts';
import { definitionXml } from './vm-hardware.ts';
import { diskVolumeName, removeDomainAndVolumes } from './volumes.ts';

/** A blank-disk VM (optionally booting an ISO on the host): volume, domain, start. */
export const vmCreate = defineOperation({
  name: 'vm.create',
  steps: ['Allocate the disk', 'Define the domain', 'Start the VM'],
  privileges: ['VM.Create'],
  from: ['creating'],
  needsOnlineHost: true,
  failure: 'error',
  during: 'creating',
  cancellable: 'between-steps',
  params: z.object({ start: z.boolean().optional() }),
  action: { action: 'CREATE', label: 'Create', description: 'Makes a VM with a blank disk (booting an ISO for a manual install when given one)' },
  async run(ctx) {
    const { vm, hypervisor, settings } = ctx;
    const disk = await ctx.step('Allocate the disk', async () => {
      // A retried create finds its own volume from the earlier try and keeps it.
      return (await hypervisor.volumePath(settings.diskPool, diskVolumeName(vm.id))) ?? (await hypervisor.createVolume(settings.diskPool, diskVolumeName(vm.id), vm.disk_gb * GiB, 'qcow2'));
    });
    // With the ISO of the catalogue it installs from, copied to the host first (createVm's isoImageId).
    await ctx.step('Define the domain', async () => hypervisor.define(await definitionXml(ctx, disk, null)));
    if (ctx.params.start === false) await ctx.skip('Start the VM', 'Not asked to start');
    else await ctx.step('Start the VM', () => hypervisor.start(vm.id));
  },
  rollback: (ctx) => removeDomainAndVolumes(ctx, [diskVolumeName(ctx.vm.id)]),
});
