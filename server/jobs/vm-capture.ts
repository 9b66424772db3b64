import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { convertImage } from '../hypervisor/qemu-img.ts';
import { removeMachineIdentity } from '../hypervisor/sysprep.ts';
import { markImageFailed, publishImage, registerImageFile } from '../services/images.ts';
import type { JobContext, Operation } from './operation.ts';
import { shutDownCleanly } from './power.ts';
import { diskVolumeName } from './vm-create.ts';

const flatVolumeName = (vmId: string) => `${vmId}-capture.qcow2`;
const incoming = (ctx: JobContext, imageId: string, suffix: string) => join(ctx.config.imageDir, 'incoming', `${imageId}.${suffix}`);
const imageIdOf = (ctx: JobContext) => String(ctx.task.params.imageId);

/**
 * Turns the VM's disk into a standalone compressed image in the store, without its machine
 * identity, owned by the user and private. The VM is shut down for a consistent copy and started
 * again afterwards when it was running.
 */
export const vmCapture: Operation = {
  name: 'vm.capture',
  async run(ctx) {
    const { virsh, settings, vm, db } = ctx;
    const imageId = imageIdOf(ctx);
    const wasRunning = await shutDownCleanly(ctx, 'Shut down the guest');
    try {
      // libvirt copies a volume with qemu-img convert, which reads through the backing chain.
      await ctx.step('Flatten the disk', async () => {
        await virsh.deleteVolume(settings.diskPool, flatVolumeName(vm.id));
        await virsh.copyVolume(settings.diskPool, diskVolumeName(vm.id), settings.diskPool, flatVolumeName(vm.id), 'qcow2');
      });
    } finally {
      // The VM's own disk is no longer needed: the guest may run again while the copy is processed.
      if (wasRunning) await ctx.step('Start the VM again', () => virsh.start(vm.id));
      else await ctx.skip('Start the VM again', 'It was not running');
    }
    const flat = incoming(ctx, imageId, 'flat');
    await ctx.step('Copy it to the image store', async () => {
      await mkdir(join(ctx.config.imageDir, 'incoming'), { recursive: true });
      await virsh.downloadVolume(settings.diskPool, flatVolumeName(vm.id), flat);
      await virsh.deleteVolume(settings.diskPool, flatVolumeName(vm.id));
    });
    await ctx.step('Remove the machine identity', () => removeMachineIdentity(flat, { emulated: ctx.host.domain_type !== 'kvm' }));
    await ctx.step('Compress and check the image', async (progress) => {
      const packed = incoming(ctx, imageId, 'qcow2');
      await convertImage(flat, packed, { compress: true, onProgress: (p) => void progress(p * 0.8) });
      await rm(flat, { force: true });
      const image = await registerImageFile(db, ctx.config, { imageId, ownerId: null, source: `vm:${vm.id}` }, packed);
      await publishImage(db, ctx.pubsub, image);
      await ctx.line(`image ${image.name}: ${(Number(image.file_size_bytes) / 1024 ** 2).toFixed(0)} MiB compressed, sha256 ${image.sha256}`);
    });
  },
  async rollback(ctx) {
    const imageId = imageIdOf(ctx);
    await ctx.virsh.deleteVolume(ctx.settings.diskPool, flatVolumeName(ctx.vm.id));
    for (const suffix of ['flat', 'qcow2']) await rm(incoming(ctx, imageId, suffix), { force: true });
    const image = await markImageFailed(ctx.db, imageId, 'The capture failed: see its task');
    if (image) await publishImage(ctx.db, ctx.pubsub, image);
  },
};
