import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { NamedError } from '../errors.ts';
import { ImageRejectedError } from '../hypervisor/qemu-img.ts';
import { defineImageOperation, type TaskContext } from './define.ts';

const PROGRESS_INTERVAL_MS = 500;
const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);
/** Where an import's download is written until it is checked and accepted. */
const downloadPath = (ctx: Pick<TaskContext, 'config' | 'task'>) => join(ctx.config.imageDir, 'incoming', `${ctx.task.id}.download`);

/** Why an install from a repository was refused (besides ImageRejectedError's reasons). */
export type InstallRefusal = 'CHECKSUM_MISMATCH' | 'SIZE_MISMATCH' | 'DOWNLOAD_FAILED';

/** The downloaded file is not the one the repository's index describes. */
export class ChecksumMismatchError extends NamedError {
  readonly reason: InstallRefusal;
  constructor(reason: InstallRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

const expectedSchema = z.object({
  algorithm: z.enum(['sha256', 'sha512']),
  checksum: z.string().regex(/^[0-9a-f]{64}([0-9a-f]{64})?$/),
  sizeBytes: z.number().int().min(0).nullish(),
});

async function hashFile(path: string, algorithm: 'sha256' | 'sha512'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * An image from an http(s) URL: streamed to the store's incoming/ folder, hashed on the way, then
 * checked and accepted like an upload. Every connection (the first, each redirect, a host name
 * that now resolves elsewhere) is checked against the address policy. An install from a
 * repository also carries the checksum (and size) its index gives: a file that differs is refused,
 * and its image row goes with it (the refusal is kept on the repository's entry).
 */
export const imageImport = defineImageOperation({
  name: 'image.import',
  steps: ['Download', 'Inspect'],
  privileges: ['Image.Create'],
  cancellable: 'between-steps',
  params: z.object({ imageId: z.uuid(), url: z.string().min(1), expected: expectedSchema.optional(), repositoryImageId: z.uuid().optional() }),
  async run(ctx) {
    const temp = downloadPath(ctx);
    const { expected } = ctx.params;
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
        if (expected) {
          if (expected.sizeBytes != null && expected.sizeBytes !== got.bytes) {
            throw new ChecksumMismatchError('SIZE_MISMATCH', `The file is ${got.bytes} bytes; the repository's index says ${expected.sizeBytes}`);
          }
          const actual = expected.algorithm === 'sha256' ? got.sha256 : await hashFile(temp, expected.algorithm);
          if (actual !== expected.checksum) {
            throw new ChecksumMismatchError('CHECKSUM_MISMATCH', `The file's ${expected.algorithm} is ${actual}; the repository's index says ${expected.checksum}`);
          }
        }
        await progress(100, `${mib(got.bytes)} MiB, sha256 ${got.sha256}${expected ? `, ${expected.algorithm} verified against the repository` : ''}`);
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
    const message = cause?.message ?? 'The import was interrupted';
    await ctx.services.failImage(ctx.params.imageId, message);
    if (ctx.params.repositoryImageId) await forgetRepositoryInstall(ctx, ctx.params.repositoryImageId, cause, message);
  },
});

/** A refused install leaves no image behind; why it was refused stays on the repository's entry. */
async function forgetRepositoryInstall(ctx: TaskContext, repositoryImageId: string, cause: Error | undefined, message: string): Promise<void> {
  const reason = cause instanceof ChecksumMismatchError || cause instanceof ImageRejectedError ? cause.reason : 'DOWNLOAD_FAILED';
  const imageId = String(ctx.params.imageId);
  await ctx.db.updateTable('repository_images').set({ install_error: message.slice(0, 2000), install_error_reason: reason }).where('id', '=', repositoryImageId).execute();
  const gone = await ctx.db.deleteFrom('images').where('id', '=', imageId).where('status', '!=', 'ready').returning('id').executeTakeFirst();
  // Installed images are public: everyone who heard of it hears it is gone.
  if (gone) ctx.pubsub.publish('images:updated', { id: imageId, ownerId: null, public: true, sharedWith: [] });
}
