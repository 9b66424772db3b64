import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { GuestConfig, ImageRow } from '../../db/types.ts';
import { GuestAgentTimeoutError } from '../hypervisor/guest-agent.ts';
import { SEED_TARGET } from '../hypervisor/domain-xml.ts';
import { writeSeedIso } from '../hypervisor/seed-iso.ts';
import { GiB, KeepVmError, throwIfCancelled, type OperationContext } from './define.ts';
import { definitionXml } from './vm-hardware.ts';
import { diskVolumeName, seedVolumeName } from './volumes.ts';

// The steps of a deploy from an image, shared by vm.deploy and vm.reinstall. Each one is safe to
// run again: a retried deploy finds what the earlier try made and goes on from there.

/** Deploying from an image, as the user watches it (deploy places the VM first, reinstall powers it off). */
export const INSTALL_STEPS = ['Cache the image on the host', 'Create the disk', 'Grow the disk', 'Write the cloud-init seed', 'Define and start the domain', 'Wait for the guest agent'] as const;
type InstallStep = (typeof INSTALL_STEPS)[number];

/** The image to install (the VM's own when not given) and the address the VM got, for the record. */
export const installParams = z.object({ imageId: z.uuid().nullish(), address: z.string().nullish() });
type InstallContext = OperationContext<InstallStep, z.output<typeof installParams>>;

/** Cached copies are named by content, so a changed image never reuses a stale copy. */
export const cachedImageName = (image: Pick<ImageRow, 'sha256' | 'format'>) => `image-${image.sha256!.slice(0, 32)}.${image.format === 'raw' ? 'raw' : 'qcow2'}`;

// Two deploys of one image on one host must not upload it twice at once (the second would see a
// half-written volume). Per worker process; workers serving the same host are not coordinated.
const caching = new Map<string, Promise<string>>();

export async function cacheImage(ctx: InstallContext, image: ImageRow): Promise<string> {
  return ctx.step('Cache the image on the host', async (progress) => {
    const name = cachedImageName(image);
    const key = `${ctx.host.id}/${name}`;
    const running = caching.get(key);
    if (running) return running;
    const work = (async () => {
      // Marked before looking: a prune then keeps the copy (see image-cache.ts).
      await ctx.services.markCopyUsed(ctx.host.id, name, image.sha256!);
      const present = await ctx.hypervisor.volumePath(ctx.settings.imagePool, name);
      if (present) {
        await progress(100, 'Already cached on this host');
        return present;
      }
      const file = ctx.services.imageFilePath(image);
      const size = Number(image.file_size_bytes ?? 0) || 1;
      await progress(0, 'Checking the image');
      const sum = await ctx.hypervisor.sha256File(file, (bytes) => void progress(Math.min(49, (bytes / size) * 50)));
      if (sum !== image.sha256) throw new Error(`The image file in the store is damaged (sha256 ${sum.slice(0, 12)}…, expected ${image.sha256!.slice(0, 12)}…)`);
      await progress(50, 'Copying to the host');
      return ctx.hypervisor.uploadVolume(ctx.settings.imagePool, name, file, image.format === 'raw' ? 'raw' : 'qcow2');
    })();
    caching.set(key, work);
    try {
      return await work;
    } finally {
      caching.delete(key);
    }
  });
}

/**
 * The whole install onto a VM's host: the seed is written while the image is cached and the disk
 * made (it does not depend on them), then the domain is defined and started and the agent awaited.
 */
export async function installFromImage(ctx: InstallContext): Promise<void> {
  const guest = guestConfigOf(ctx);
  const image = await ctx.services.readyImage(String(ctx.params.imageId ?? ctx.vm.image_id));
  const [disk, seed] = await Promise.allSettled([
    (async () => {
      // Whether an earlier try left the disk is asked while the image cache is looked at.
      const earlier = ctx.hypervisor.volumePath(ctx.settings.diskPool, diskVolumeName(ctx.vm.id));
      earlier.catch(() => {}); // reported by the disk step, which awaits it
      const cached = await cacheImage(ctx, image);
      const made = await createDisk(ctx, image, cached, guest, earlier);
      await growDisk(ctx, made.capacityBytes);
      return made.path;
    })(),
    writeSeed(ctx, guest),
  ]);
  // Both finish before a failure is reported, so a rollback never races a step still running.
  if (disk.status === 'rejected') throw disk.reason;
  if (seed.status === 'rejected') throw seed.reason;
  await defineAndStart(ctx, disk.value, seed.value);
  await waitForAgent(ctx);
}

/**
 * The overlay is made at the size asked (qcow2 allows more than its backing file), so the next
 * step has nothing to do; capacityBytes is null where the size is not known (a disk found from an
 * earlier try, a full copy), and the next step checks it. earlier: the path of a disk an earlier
 * try left, or null.
 */
export async function createDisk(
  ctx: InstallContext,
  image: ImageRow,
  cachedPath: string,
  guest: GuestConfig,
  earlier: Promise<string | null> = ctx.hypervisor.volumePath(ctx.settings.diskPool, diskVolumeName(ctx.vm.id)),
): Promise<{ path: string; capacityBytes: number | null }> {
  return ctx.step('Create the disk', async () => {
    const { hypervisor, settings, vm } = ctx;
    const name = diskVolumeName(vm.id);
    const existing = await earlier;
    if (existing) return { path: existing, capacityBytes: null };
    if (!guest.fullCopy) {
      const capacityBytes = Math.max(Number(image.virtual_size_bytes), vm.disk_gb * GiB);
      // The cached copy keeps the image's own format (a raw upload stays raw): the overlay says which.
      return { path: await hypervisor.createOverlay(settings.diskPool, name, cachedPath, capacityBytes, image.format === 'raw' ? 'raw' : 'qcow2'), capacityBytes };
    }
    await ctx.line('Full copy asked: the disk does not depend on the cached image');
    return { path: await hypervisor.copyVolume(settings.imagePool, cachedPath.split('/').pop()!, settings.diskPool, name, 'qcow2'), capacityBytes: null };
  });
}

/** knownCapacityBytes: the disk's size when the previous step just made it (no need to ask libvirt). */
export async function growDisk(ctx: InstallContext, knownCapacityBytes: number | null = null): Promise<void> {
  const wanted = ctx.vm.disk_gb * GiB;
  await ctx.step('Grow the disk', async (progress) => {
    if (knownCapacityBytes !== null && knownCapacityBytes >= wanted) return progress(100, 'Made at its full size');
    await ctx.hypervisor.resizeVolume(ctx.settings.diskPool, diskVolumeName(ctx.vm.id), wanted);
  });
}

/** A fresh instance id on every install, so cloud-init configures the guest again. */
export async function writeSeed(ctx: Pick<OperationContext<'Write the cloud-init seed'>, 'step' | 'hypervisor' | 'settings' | 'vm' | 'services' | 'task'>, guest: GuestConfig, options: { newMachineId?: boolean } = {}): Promise<string> {
  return ctx.step('Write the cloud-init seed', () => uploadSeed(ctx, guest, seedInstanceId(ctx.vm.id, ctx.task.id), options));
}

/** The instance id of the seed an install task writes (the same on a rewrite, so cloud-init does not start over). */
export const seedInstanceId = (vmId: string, installTaskId: string) => `${vmId}-${installTaskId.slice(0, 8)}`;

/**
 * Writes the VM's seed (replacing any earlier one): its guest settings, and a network config with
 * every NIC its rows list (the first with its pool address and route, others with theirs or DHCP).
 */
export async function uploadSeed(ctx: Pick<OperationContext, 'vm' | 'hypervisor' | 'settings' | 'services'>, guest: GuestConfig, instanceId: string, options: { newMachineId?: boolean } = {}): Promise<string> {
  const { hypervisor, settings, vm } = ctx;
  const seedName = seedVolumeName(vm.id);
  // Whatever seed an earlier install left goes first (while the address and NICs are read).
  const [lease, hardware] = await Promise.all([ctx.services.leaseOfVm(vm.id), ctx.services.vmHardware(vm.id), hypervisor.deleteVolume(settings.diskPool, seedName)]);
  const primary = hardware.interfaces.find((n) => n.position === 0);
  const others = hardware.interfaces.filter((n) => n.position !== 0).map((n) => ({ mac: n.mac, address: n.cidrAddress }));
  const dir = await mkdtemp(join(tmpdir(), 'hangar-seed-'));
  try {
    const iso = join(dir, 'seed.iso');
    await writeSeedIso(
      {
        instanceId,
        hostname: guest.hostname,
        user: guest.user,
        passwordHash: guest.passwordHash,
        sshKeys: guest.sshKeys,
        timezone: guest.timezone,
        firstBootScript: guest.firstBootScript,
        network: lease && vm.mac_address && (!primary || primary.mac === vm.mac_address) ? { mac: vm.mac_address, address: lease.cidrAddress, gateway: lease.gateway, dns: lease.dns } : null,
        interfaces: others,
        primaryMac: primary?.mac ?? null,
        newMachineId: options.newMachineId,
      },
      iso,
    );
    return await hypervisor.uploadVolume(settings.diskPool, seedName, iso, 'raw');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function defineAndStart(ctx: InstallContext, diskPath: string, seedPath: string): Promise<void> {
  await ctx.step('Define and start the domain', async () => {
    await ctx.hypervisor.define(await definitionXml(ctx, diskPath, seedPath));
    await ctx.hypervisor.start(ctx.vm.id);
  });
}

/**
 * Waits for the guest agent; when it never answers the VM is kept, with the reason. The step reports
 * no share of the timeout (a guest that boots in 2 minutes is not "19 %" done): clients show the time waited.
 */
export async function waitForAgent(ctx: Pick<OperationContext<'Wait for the guest agent'>, 'step' | 'hypervisor' | 'vm' | 'config' | 'signal'>): Promise<void> {
  const timeoutMs = ctx.config.guestAgentTimeoutMs;
  await ctx.step('Wait for the guest agent', async (progress) => {
    const started = Date.now();
    // Clients show the time since the step started beside this message.
    await progress(0, 'Waiting for the guest to boot');
    try {
      await ctx.hypervisor.waitForGuestAgent(ctx.vm.id, timeoutMs, ctx.signal);
      await progress(100, `The guest answered after ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      // Cancelled while the guest boots (a delete of the VM, say): the deploy stops here and rolls back.
      throwIfCancelled(ctx.signal);
      // Only a silent guest keeps the VM; a host that went away fails the deploy like any step.
      if (!(error instanceof GuestAgentTimeoutError)) throw error;
      throw new KeepVmError(`The guest agent did not answer within ${Math.round(timeoutMs / 1000)} s; the VM was kept running: look at its console, then reinstall or delete it`);
    }
  });
}

export function guestConfigOf(ctx: Pick<OperationContext, 'vm'>): GuestConfig {
  if (!ctx.vm.guest_config) throw new Error('The VM has no guest configuration (it was not deployed from an image)');
  return ctx.vm.guest_config;
}

/**
 * Rewrites a deployed VM's seed with the NICs its rows list now, under the instance id it was
 * installed with (cloud-init reads the network config again at boot, nothing else), and swaps it
 * into the running VM's seed drive; a VM not deployed from an image has no seed and is left alone.
 */
export async function refreshSeed(ctx: Pick<OperationContext, 'vm' | 'hypervisor' | 'settings' | 'services' | 'line'>, running: boolean): Promise<void> {
  const { seedInstanceId: instanceId } = await ctx.services.vmHardware(ctx.vm.id);
  if (!ctx.vm.guest_config || !instanceId) return;
  const path = await uploadSeed(ctx, ctx.vm.guest_config, instanceId);
  // The running guest keeps the file it opened; it reads the new one at its next start if this fails.
  if (running) await ctx.hypervisor.changeMediaLive(ctx.vm.id, path, SEED_TARGET).catch((error: Error) => ctx.line(`The running VM keeps its seed until its next start (${error.message})`));
  await ctx.line('The cloud-init seed lists the VM\u2019s network interfaces as they are now (read again at its next boot)');
}
