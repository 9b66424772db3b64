import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ImageRejectedError } from '../hypervisor/qemu-img.ts';
import { defineImageOperation, type TaskContext } from './define.ts';

const PROGRESS_INTERVAL_MS = 500;
const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
/** Where an import's download is written until it is checked and accepted. */
const downloadPath = (ctx: Pick<TaskContext, 'config' | 'task'>) => join(ctx.config.imageDir, 'incoming', `${ctx.task.id}.download`);

/**
 * An image from an http(s) URL: streamed to the store's incoming/ folder, hashed on the way, then
 * checked and accepted like an upload. Every connection (the first, each redirect, a host name
 * that now resolves elsewhere) is checked against the address policy.
 */
export const imageImport = defineImageOperation({
  name: 'image.import',
  steps: ['Download', 'Inspect'],
  privileges: ['Image.Create'],
  cancellable: 'between-steps',
  params: z.object({ imageId: z.uuid(), url: z.string().min(1) }),
  async run(ctx) {
    const temp = downloadPath(ctx);
    try {
      const { sha256 } = await ctx.step('Download', async (progress) => {
        await mkdir(join(ctx.config.imageDir, 'incoming'), { recursive: true });
        let last = 0;
        const got = await ctx.services.downloadImage(ctx.params.url, temp, (received, total) => {
          const now = Date.now();
          if (now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          void progress(total ? Math.min(99, (received / total) * 100) : 0, total ? `${mib(received)} of ${mib(total)} MiB` : `${mib(received)} MiB downloaded`).catch(() => {});
        });
        await progress(100, `${mib(got.bytes)} MiB, sha256 ${got.sha256}`);
        return got;
      });
      await ctx.step('Inspect', async (progress) => {
        const image = await ctx.services.acceptImageFile(ctx.params.imageId, ctx.params.url, temp, sha256).catch((error: unknown) => {
          throw error instanceof ImageRejectedError ? new ImageRejectedError(error.reason, `The file was refused: ${error.message}`) : error;
        });
        await progress(100, `${image.format}, ${mib(Number(image.virtual_size_bytes))} MiB virtual size`);
      });
    } finally {
      await rm(temp, { force: true });
    }
  },
  async rollback(ctx, cause) {
    await rm(downloadPath(ctx), { force: true });
    await ctx.services.failImage(ctx.params.imageId, cause?.message ?? 'The import was interrupted');
  },
});
