import { join } from 'node:path';
import { z } from 'zod';
import { domainXml } from '../hypervisor/domain-xml.ts';
import { defineOperation, type OperationContext } from './define.ts';
import { copyChains, restorableDisks, verifyCopies } from './restore-chain.ts';
import { diskVolumeName, removeDomainAndVolumes, specOf } from './volumes.ts';

// A new VM made from a backup: each backed-up disk's chain becomes one of its disks (the first its
// boot disk), then its domain is defined and started. No cloud-init seed: the guest on the restored
// disk was set up already.

const volumeOf = (vmId: string, index: number, target: string) => (index === 0 ? diskVolumeName(vmId) : `${vmId}-${target}.qcow2`);

type Ctx = OperationContext<string, { backupId: string }>;

async function volumeNames(ctx: Ctx): Promise<string[]> {
  const found = await ctx.services.backupOf(ctx.params.backupId).catch(() => null);
  return ((found?.backup.disks ?? []) as Array<{ target: string }>).map((d, i) => volumeOf(ctx.vm.id, i, d.target));
}

export const vmRestoreNew = defineOperation({
  name: 'vm.restore-new',
  steps: ['Copy the backup', 'Verify the disks', 'Define the domain', 'Start the VM'],
  privileges: ['Backup.Restore', 'VM.Create'],
  from: ['creating'],
  needsOnlineHost: true,
  failure: 'error',
  during: 'creating',
  cancellable: 'between-steps',
  params: z.object({ backupId: z.uuid() }),
  action: { action: 'RESTORE_NEW', label: 'Restore as a new VM', description: 'Makes a new VM from a backup' },
  async run(ctx) {
    const { hypervisor, settings, vm } = ctx;
    const copies = await ctx.step('Copy the backup', async (progress) => {
      const disks = await restorableDisks(ctx, ctx.params.backupId);
      const pool = await hypervisor.poolInfo(settings.diskPool);
      if (!pool.path) throw new Error(`The disk pool ${settings.diskPool} has no directory`);
      const planned = disks.map((disk, i) => ({ disk, to: join(pool.path!, volumeOf(vm.id, i, disk.target)) }));
      await copyChains(ctx, planned, progress);
      return planned;
    });
    await ctx.step('Verify the disks', async () => {
      await verifyCopies(ctx, copies);
      await hypervisor.refreshPool(settings.diskPool);
    });
    await ctx.step('Define the domain', () => hypervisor.define(domainXml({ ...specOf(ctx, copies[0]!.to), disks: copies.map((c) => ({ path: c.to, format: 'qcow2' as const })) })));
    await ctx.step('Start the VM', () => hypervisor.start(vm.id));
  },
  rollback: async (ctx) => removeDomainAndVolumes(ctx, await volumeNames(ctx)),
});
