import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defineOperation, type OperationContext } from './define.ts';
import { shutDownCleanly } from './power.ts';
import { diskVolumeName } from './volumes.ts';

const flatVolumeName = (vmId: string) => `${vmId}-capture.qcow2`;
const incoming = (ctx: Pick<OperationContext, 'config'>, imageId: string, suffix: string) => join(ctx.config.imageDir, 'incoming', `${imageId}.${suffix}`);

/**
 * Turns the VM's disk into a standalone compressed image in the store, without its machine
 * identity, owned by the user and private. The VM is shut down for a consistent copy and started
 * again afterwards when it was running.
 */
export const vmCapture = defineOperation({
  name: 'vm.capture',
  steps: ['Shut down the guest', 'Flatten the disk', 'Start the VM again', 'Copy it to the image store', 'Remove the machine identity', 'Compress and check the image'],
  privileges: ['Image.Create', 'VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused'],
  needsOnlineHost: true,
  failure: 'rollback',
  refuses: (vm) => (vm.iso_path ? 'A VM booting an ISO cannot be captured' : null),
  params: z.object({ imageId: z.uuid() }),
  action: { action: 'CAPTURE', label: 'Capture', description: 'Makes a private image of the VM\u2019s disk without its machine identity' },
  async run(ctx) {
    const { hypervisor, settings, vm } = ctx;
    const { imageId } = ctx.params;
    const wasRunning = await shutDownCleanly(ctx, 'Shut down the guest');
    try {
      // libvirt copies a volume with qemu-img convert, which reads through the backing chain.
      await ctx.step('Flatten the disk', async () => {
        await hypervisor.deleteVolume(settings.diskPool, flatVolumeName(vm.id));
        await hypervisor.copyVolume(settings.diskPool, diskVolumeName(vm.id), settings.diskPool, flatVolumeName(vm.id), 'qcow2');
      });
    } finally {
      // The VM's own disk is no longer needed: the guest may run again while the copy is processed.
      if (wasRunning) await ctx.step('Start the VM again', () => hypervisor.start(vm.id));
      else await ctx.skip('Start the VM again', 'It was not running');
    }
    const flat = incoming(ctx, imageId, 'flat');
    await ctx.step('Copy it to the image store', async () => {
      await mkdir(join(ctx.config.imageDir, 'incoming'), { recursive: true });
      await hypervisor.downloadVolume(settings.diskPool, flatVolumeName(vm.id), flat);
      await hypervisor.deleteVolume(settings.diskPool, flatVolumeName(vm.id));
    });
    await ctx.step('Remove the machine identity', () => hypervisor.removeMachineIdentity(flat, { emulated: ctx.host.domain_type !== 'kvm' }));
    await ctx.step('Compress and check the image', async (progress) => {
      const packed = incoming(ctx, imageId, 'qcow2');
      await hypervisor.convertImage(flat, packed, { compress: true, onProgress: (p) => void progress(p * 0.8) });
      await rm(flat, { force: true });
      const image = await ctx.services.acceptImageFile(imageId, `vm:${vm.id}`, packed);
      await ctx.line(`image ${image.name}: ${(Number(image.file_size_bytes) / 1024 ** 2).toFixed(0)} MiB compressed, sha256 ${image.sha256}`);
    });
  },
  async rollback(ctx) {
    const { imageId } = ctx.params;
    await ctx.hypervisor.deleteVolume(ctx.settings.diskPool, flatVolumeName(ctx.vm.id));
    for (const suffix of ['flat', 'qcow2']) await rm(incoming(ctx, imageId, suffix), { force: true });
    await ctx.services.failImage(imageId, 'The capture failed: see its task');
  },
});
