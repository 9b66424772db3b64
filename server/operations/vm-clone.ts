import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { VmRow } from '../../db/types.ts';
import type { Hypervisor } from '../hypervisor/hypervisor.ts';
import { defineOperation, type OperationContext, type OperationSettings, type VmState } from './define.ts';
import { waitForAgent, writeSeed } from './install.ts';
import { definitionXml } from './vm-hardware.ts';
import { diskVolumeName, seedVolumeName } from './volumes.ts';

/** What a VM must be to be cloned (the API checks it on the source with the same rule as any action). */
export const CLONE_SOURCE = {
  privileges: ['VM.Create'],
  from: ['running', 'stopped', 'paused'] as VmState[],
  needsOnlineHost: true,
  refuses: (vm: VmRow) => (vm.state === 'creating' ? 'The VM is still being made' : null),
  action: { action: 'CLONE', label: 'Clone', description: 'Copies the VM to a new VM with its own identity' },
};

/** The point-in-time copy of a running source's disk on the source host, when a flat copy is made from it (named after the clone's volume). */
const pointName = (volume: string) => volume.replace(/\.qcow2$/, '-clone-point.qcow2');
/** A flattened copy on the source host, on its way to another host. */
const flatName = (volume: string) => volume.replace(/\.qcow2$/, '-clone-flat.qcow2');

interface Volume {
  pool: string;
  name: string;
}

interface Place {
  hypervisor: Hypervisor;
  settings: OperationSettings;
  host: OperationContext['host'];
}

/** Where the new VM lives: the source's host (this task's), or another one reached through its hypervisor. */
async function targetOf(ctx: OperationContext): Promise<Place & { sameHost: boolean }> {
  if (ctx.vm.host_id === ctx.host.id) return { hypervisor: ctx.hypervisor, settings: ctx.settings, host: ctx.host, sameHost: true };
  const peer = await ctx.services.peerHost(ctx.vm.host_id!);
  return { ...peer, sameHost: false };
}

/**
 * A new VM (this task's) from another VM's disk, run on the source's host and queue, so it waits for
 * the source's own operations. A running source is copied consistently: its file systems are
 * frozen through the guest agent when it answers, and it is paused (QEMU flushes its disks) only
 * for the copy of its own layer, which is what a VM deployed from an image writes; the cached image
 * under it is shared, never copied. An overlay clone is that layer over the same cached image, the
 * way every deployed VM is made; a full clone (and any clone to another host) is flattened on the
 * source host. The guest then boots as a new cloud-init instance: its hostname, address and MAC,
 * new SSH host keys and a new machine-id.
 */
export const vmClone = defineOperation({
  name: 'vm.clone',
  steps: ['Copy the disk', 'Flatten the disk', 'Send it to the new host', 'Write the cloud-init seed', 'Define and start the domain', 'Wait for the guest agent'],
  privileges: ['VM.Create'],
  from: ['creating'],
  needsOnlineHost: true,
  failure: 'error',
  during: 'creating',
  cancellable: 'between-steps',
  params: z.object({ sourceVmId: z.uuid(), full: z.boolean().default(false), start: z.boolean().default(true) }),
  action: CLONE_SOURCE.action,
  async run(ctx) {
    const { hypervisor, settings, vm, params } = ctx;
    const source = await ctx.services.liveVm(params.sourceVmId);
    if (!source) throw new Error('The VM to clone no longer exists');
    if (source.host_id !== ctx.host.id) throw new Error('The VM to clone moved to another host meanwhile: clone it again');
    const target = await targetOf(ctx);
    const flat = params.full || !target.sameHost;
    const copies = await copiesOf(ctx, source, target);
    const work = await mkdtemp(join(tmpdir(), 'hangar-clone-'));
    try {
      // The copy of each of the source's disks at one moment, as volumes on the source's host.
      const points = await ctx.step('Copy the disk', async (progress) => {
        const state = await hypervisor.domainState(source.id);
        const live = state === 'running';
        if (!live && !flat) await progress(0, 'The VM is not running: its disks are copied as they are');
        // A stopped source is its own point in time: a flat copy reads it directly.
        if (!live && flat) return copies.map((c) => ({ ...c.from, temporary: false }));
        let frozen = false;
        let paused = false;
        try {
          if (live) {
            // Frozen when the agent answers; otherwise the copy is crash-consistent, and the log says so.
            frozen = await hypervisor.freezeFileSystems(source.id).then(
              () => true,
              async (error: Error) => {
                await ctx.warn(`The guest's file systems were not frozen (${error.message}): the copy is crash-consistent`);
                return false;
              },
            );
            if (frozen) await ctx.line('The guest froze its file systems for the copy');
            await hypervisor.suspend(source.id);
            paused = true;
          }
          for (const [i, c] of copies.entries()) await hypervisor.downloadVolume(c.from.pool, c.from.name, join(work, `${i}.qcow2`));
        } finally {
          if (paused) await hypervisor.resume(source.id);
          if (frozen) await hypervisor.thawFileSystems(source.id);
        }
        if (live) await progress(50, 'The VM runs again');
        // Overlays on the same host: these are the new disks. Otherwise points to flatten from.
        const made = [];
        for (const [i, c] of copies.entries()) {
          const at = flat ? { pool: settings.diskPool, name: pointName(c.to.name) } : c.to;
          await hypervisor.deleteVolume(at.pool, at.name);
          await hypervisor.uploadVolume(at.pool, at.name, join(work, `${i}.qcow2`), 'qcow2');
          await rm(join(work, `${i}.qcow2`), { force: true });
          made.push({ ...at, temporary: flat });
        }
        return made;
      });
      if (!flat) {
        await ctx.skip('Flatten the disk', 'An overlay on the cached image, like a deployed VM');
        await ctx.skip('Send it to the new host', 'The clone stays on this host');
      } else {
        // Flattened where the copy is: straight into place on the same host, beside it otherwise.
        const flats = copies.map((c) => (target.sameHost ? c.to : { pool: settings.diskPool, name: flatName(c.to.name) }));
        await ctx.step('Flatten the disk', async () => {
          for (const [i, point] of points.entries()) {
            await hypervisor.deleteVolume(flats[i].pool, flats[i].name);
            await hypervisor.copyVolume(point.pool, point.name, flats[i].pool, flats[i].name, 'qcow2');
            if (point.temporary) await hypervisor.deleteVolume(point.pool, point.name);
          }
        });
        if (target.sameHost) await ctx.skip('Send it to the new host', 'The clone stays on this host');
        else
          await ctx.step('Send it to the new host', async (progress) => {
            for (const [i, c] of copies.entries()) {
              const file = join(work, `flat-${i}.qcow2`);
              await hypervisor.downloadVolume(flats[i].pool, flats[i].name, file);
              await progress(((i + 0.5) / copies.length) * 100, `Copied ${c.target} from ${ctx.host.name}`);
              await target.hypervisor.deleteVolume(c.to.pool, c.to.name);
              await target.hypervisor.uploadVolume(c.to.pool, c.to.name, file, 'qcow2');
              await rm(file, { force: true });
              await hypervisor.deleteVolume(flats[i].pool, flats[i].name);
            }
          });
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    // The new VM's own place: its seed, its domain and its agent are there.
    const there = { ...ctx, hypervisor: target.hypervisor, settings: target.settings, host: target.host };
    const diskPath = await target.hypervisor.volumePath(target.settings.diskPool, diskVolumeName(vm.id));
    if (!diskPath) throw new Error('The copied disk is missing on the new host');
    let seedPath: string | null = null;
    if (vm.guest_config) seedPath = await writeSeed(there, vm.guest_config, { newMachineId: true });
    else await ctx.skip('Write the cloud-init seed', 'The VM was not deployed from an image: the guest keeps the identity it has on its disk');
    await ctx.step('Define and start the domain', async (progress) => {
      await target.hypervisor.define(await definitionXml(there, diskPath, seedPath));
      if (!params.start) return progress(100, 'Defined; not started, as asked');
      await target.hypervisor.start(vm.id);
    });
    if (params.start && vm.guest_config) await waitForAgent(there);
    else await ctx.skip('Wait for the guest agent', params.start ? 'The guest was not deployed with Hangar\u2019s agent setup' : 'Not started');
  },
  async rollback(ctx) {
    const target = await targetOf(ctx).catch(() => null);
    const { hypervisor, settings, vm } = ctx;
    const volumes = (await ctx.services.vmDisks(vm.id)).map((d) => ({ pool: d.pool, name: d.volume }));
    if (!volumes.some((v) => v.name === diskVolumeName(vm.id))) volumes.unshift({ pool: null, name: diskVolumeName(vm.id) });
    for (const v of volumes) for (const name of [pointName(v.name), flatName(v.name)]) await hypervisor.deleteVolume(settings.diskPool, name);
    if (!target) {
      await ctx.services.leaveOnHost(ctx.vm.host_id!, vm.id, 'A clone failed while its host did not answer');
      return;
    }
    await target.hypervisor.destroy(vm.id);
    await target.hypervisor.undefine(vm.id);
    for (const v of volumes) await target.hypervisor.deleteVolume(v.pool ?? target.settings.diskPool, v.name);
    await target.hypervisor.deleteVolume(target.settings.diskPool, seedVolumeName(vm.id));
  },
});

/**
 * What is copied where: each disk of the source (its boot disk and every attached one) to the
 * clone's disk of the same target (vda, vdb…), whose rows the request wrote.
 */
async function copiesOf(ctx: OperationContext, source: VmRow, target: Place): Promise<Array<{ target: string; from: Volume; to: Volume }>> {
  const [sourceDisks, cloneDisks] = await Promise.all([ctx.services.vmDisks(source.id), ctx.services.vmDisks(ctx.vm.id)]);
  const boot = { target: 'vda', from: { pool: ctx.settings.diskPool, name: diskVolumeName(source.id) }, to: { pool: target.settings.diskPool, name: diskVolumeName(ctx.vm.id) } };
  const attached = sourceDisks
    .filter((d) => !d.is_boot)
    .map((d) => {
      const mine = cloneDisks.find((c) => c.target === d.target && !c.is_boot);
      if (!mine) throw new Error(`The clone has no disk ${d.target} to copy the source's into`);
      return { target: d.target, from: { pool: d.pool ?? ctx.settings.diskPool, name: d.volume }, to: { pool: mine.pool ?? target.settings.diskPool, name: mine.volume } };
    });
  return [boot, ...attached];
}
