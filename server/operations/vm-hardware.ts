// A VM's hardware beyond its size, as its rows say (its NICs, the ISO in its CD-ROM, its boot
// order; read through ctx.services.vmHardware), turned into its whole domain definition. Every
// definition of a VM goes through definitionXml, so a redefine (resize, reinstall, an attach)
// never loses a NIC, an attached disk or the medium.
import type { ImageRow } from '../../db/types.ts';
import { domainXml, type BootDevice, type DomainInterface } from '../hypervisor/domain-xml.ts';
import type { OperationContext, OperationInterface } from './define.ts';
import { domainDisksOf } from './disks.ts';
import { diskVolumeName, seedVolumeName, specOf } from './volumes.ts';

export const BOOT_DEVICES = ['hd', 'cdrom', 'network'] as const satisfies readonly BootDevice[];

export function domainInterface(nic: OperationInterface): DomainInterface {
  return { mac: nic.mac, network: nic.network, bandwidth: nic.bandwidth };
}

/** ISO copies on a host are named by content, like cached disk images (image-cache.ts prunes both). */
export const isoCopyName = (image: Pick<ImageRow, 'sha256'>) => `image-${image.sha256!.slice(0, 32)}.iso`;

type Ctx = Pick<OperationContext, 'vm' | 'host' | 'settings' | 'hypervisor' | 'services' | 'line'>;

/** The VM's NIC of this id, or null when it is gone. */
export async function interfaceOf(ctx: Pick<OperationContext, 'vm' | 'services'>, interfaceId: string): Promise<OperationInterface | null> {
  return (await ctx.services.vmHardware(ctx.vm.id)).interfaces.find((n) => n.id === interfaceId) ?? null;
}

/** The ISO's copy on the VM's host, copied there first when missing. */
export async function isoOnHost(ctx: Ctx, imageId: string): Promise<string> {
  const image = await ctx.services.readyImage(imageId);
  if (image.kind !== 'iso') throw new Error(`The image ${image.name} is not an ISO`);
  const name = isoCopyName(image);
  await ctx.services.markCopyUsed(ctx.host.id, name, image.sha256!);
  const present = await ctx.hypervisor.volumePath(ctx.settings.imagePool, name);
  if (present) return present;
  await ctx.line(`Copying the ISO ${image.name} to ${ctx.host.name}`);
  return ctx.hypervisor.uploadVolume(ctx.settings.imagePool, name, ctx.services.imageFilePath(image), 'raw');
}

export interface DefinitionOptions {
  /** Leave this interface out (it is being detached). */
  without?: string;
  /** Boot the CD-ROM first this once. */
  bootCdromFirst?: boolean;
}

/** The VM's whole domain on the given disk and seed, as its rows say now. */
export async function definitionXml(ctx: Ctx, diskPath: string, seedPath: string | null, options: DefinitionOptions = {}): Promise<string> {
  const hw = await ctx.services.vmHardware(ctx.vm.id);
  const interfaces = hw.interfaces.filter((n) => n.id !== options.without).map(domainInterface);
  const cdromPath = hw.cdromImageId ? await isoOnHost(ctx, hw.cdromImageId) : hw.isoPath;
  let bootOrder = (hw.bootOrder.length ? hw.bootOrder : ['hd']) as BootDevice[];
  if (options.bootCdromFirst) bootOrder = ['cdrom', ...bootOrder.filter((d) => d !== 'cdrom')];
  // Every disk too (the boot disk and each attached one, with their limits): disks.ts.
  return domainXml({ ...specOf(ctx, diskPath, await domainDisksOf(ctx, diskPath)), cdromPath, seedPath, interfaces, cdromDrive: true, bootOrder });
}

/** Writes the VM's persistent definition from its rows (a running domain keeps running; the change holds from its next start). */
export async function redefine(ctx: Ctx, options: DefinitionOptions = {}): Promise<void> {
  const disk = await ctx.hypervisor.volumePath(ctx.settings.diskPool, diskVolumeName(ctx.vm.id));
  if (!disk) throw new Error('The VM has no disk on its host');
  const seed = await ctx.hypervisor.volumePath(ctx.settings.diskPool, seedVolumeName(ctx.vm.id));
  await ctx.hypervisor.define(await definitionXml(ctx, disk, seed, options));
}

/** Whether the domain runs now (hot changes apply), from libvirt. */
export async function domainRuns(ctx: Pick<OperationContext, 'hypervisor' | 'vm'>): Promise<boolean> {
  const state = await ctx.hypervisor.domainState(ctx.vm.id);
  return state === 'running' || state === 'paused';
}
