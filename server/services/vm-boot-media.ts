// A VM's CD-ROM and boot order (issue 21): users put any ISO of the library they may see into
// their VM's CD-ROM and eject it, choose what it boots from, and may boot the ISO once (a rescue).
// The host path of isoPath stays an administrator's escape hatch (createVm, Host.Manage).
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { BOOT_DEVICES } from '../operations/vm-hardware.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { visibleReadyImage } from './images.ts';
import { parseInput } from './validation.ts';
import { announceQueued, lockedVmFor, scheduleTask, type VmWithTask } from './vms.ts';

/** Inserts the ISO (visible to the caller, ready, of kind ISO) into the VM's CD-ROM, or ejects it (null). */
export async function setVmMedia(ctx: ServiceContext, vmId: string, imageId: string | null): Promise<VmWithTask> {
  const viewer = actorOf(ctx);
  // An image the caller may not see is "not found", whatever it is.
  const image = imageId ? await visibleReadyImage(ctx.db, viewer, imageId) : null;
  if (image && image.kind !== 'iso') throw ValidationError.forField('imageId', `${image.name} is a disk image, not an ISO`);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, viewer, vmId, 'vm.media');
    // The host ISO an administrator gave it goes out with whatever replaces it.
    const updated = await trx.updateTable('vms').set({ cdrom_image_id: image?.id ?? null, iso_path: null, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    return { vm: updated, task: await scheduleTask(trx, ctx, 'vm.media', vm, vm.host_id!, { imageId: image?.id ?? null }) };
  });
  return announceQueued(ctx, result, true);
}

export const bootSchema = z.object({
  order: z
    .array(z.enum(BOOT_DEVICES))
    .min(1, 'Name at least one device to boot from')
    .max(3)
    .refine((o) => new Set(o).size === o.length, 'Each device at most once'),
  once: z.boolean().default(false),
});
export type BootInput = z.input<typeof bootSchema>;

/** The VM's boot order, and whether its next start boots the CD-ROM once (which needs a medium in it). */
export async function setVmBoot(ctx: ServiceContext, vmId: string, raw: BootInput): Promise<VmWithTask> {
  const input = parseInput(bootSchema, raw);
  const viewer = actorOf(ctx);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, viewer, vmId, 'vm.boot');
    if (input.once && !vm.cdrom_image_id && !vm.iso_path) throw ValidationError.forField('once', 'Booting the CD-ROM once needs an ISO in it: insert one first');
    const updated = await trx.updateTable('vms').set({ boot_order: input.order, boot_once: input.once, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    return { vm: updated, task: await scheduleTask(trx, ctx, 'vm.boot', vm, vm.host_id!, { order: input.order, once: input.once }) };
  });
  return announceQueued(ctx, result, true);
}
