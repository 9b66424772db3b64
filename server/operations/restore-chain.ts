// What both restores share: the backup's files, checked to be there and to open as a whole chain.
import type { BackupDisk } from '../../db/types.ts';
import type { OperationContext } from './define.ts';

/** The backup's disks, each the top of a chain that opens down to its full backup. */
export async function restorableDisks(ctx: Pick<OperationContext, 'services' | 'hypervisor'>, backupId: string): Promise<BackupDisk[]> {
  const { backup } = await ctx.services.backupOf(backupId);
  if (backup.status !== 'ready') throw new Error(`The backup is ${backup.status}, not ready`);
  const disks = backup.disks as BackupDisk[];
  for (const disk of disks) {
    if (!(await ctx.hypervisor.fileExists(disk.path))) throw new Error(`The backup file of ${disk.target} is missing: ${disk.path}`);
    const chain = await ctx.hypervisor.backingChain(disk.path);
    if (chain.length !== backup.chain_length) throw new Error(`The chain of ${disk.target} opens ${chain.length} files, ${backup.chain_length} expected`);
  }
  return disks;
}

/** Copies each chain into a new standalone file and checks it; progress over all disks. */
export async function copyChains(ctx: Pick<OperationContext, 'hypervisor'>, copies: Array<{ disk: BackupDisk; to: string }>, progress: (percent: number, message?: string) => Promise<void>): Promise<void> {
  const total = copies.reduce((n, c) => n + c.disk.virtualSizeBytes, 0) || 1;
  let done = 0;
  for (const { disk, to } of copies) {
    await ctx.hypervisor.flattenChain(disk.path, to, (percent) => void progress((100 * (done + (disk.virtualSizeBytes * percent) / 100)) / total, `${disk.target}: ${percent.toFixed(0)} %`));
    done += disk.virtualSizeBytes;
  }
}

/** qemu-img check of each copy, and its size is the backed-up disk's. */
export async function verifyCopies(ctx: Pick<OperationContext, 'hypervisor'>, copies: Array<{ disk: BackupDisk; to: string }>): Promise<void> {
  for (const { disk, to } of copies) {
    await ctx.hypervisor.checkQcow2(to);
    const [info] = await ctx.hypervisor.backingChain(to);
    if (disk.virtualSizeBytes && info?.virtualSize !== disk.virtualSizeBytes) throw new Error(`The restored ${disk.target} is ${info?.virtualSize} bytes, ${disk.virtualSizeBytes} expected`);
  }
}
