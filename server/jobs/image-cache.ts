// A deploy copies its image into the host's image pool once (image-<sha256>.qcow2, see install.ts)
// and backs VM disks onto that copy. The copy outlives the image; hosts' storage would fill up with
// copies nothing can use again. A copy is removed when all of these hold:
// - this installation made it (image_cache_copies; another installation sharing the host, or a
//   copy made before that table, is never touched);
// - no deploy has been about to use it for KEEP_UNUSED_MS (a deploy marks it before it looks for it);
// - no image of the catalogue has its content;
// - nothing on the host backs onto a file of its name: no volume of any pool, no disk of any
//   domain. A pool that is not running, a volume or domain that cannot be read, or a stopped
//   domain's disk outside every pool (its backing file cannot be read) keeps them all.
// The last check and the removal hold the copy's lock, which a deploy takes to mark it: a deploy
// either marks it first (and it stays) or finds it gone (and copies the image again).
import { basename } from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/types.ts';
import type { LibvirtHypervisor } from '../hypervisor/libvirt-hypervisor.ts';

/** How long a copy is kept after a deploy last used it, whatever else holds. */
export const KEEP_UNUSED_MS = 24 * 3600_000;

async function lockCopy(trx: Transaction<Database>, hostId: string, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`hangar-image-copy:${hostId}/${name}`}, 0))`.execute(trx);
}

/** Records, before a deploy looks for the copy on the host, that it is about to use it. */
export async function markCopyUsed(db: Db, hostId: string, name: string, sha256: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockCopy(trx, hostId, name);
    await trx
      .insertInto('image_cache_copies')
      .values({ host_id: hostId, name, sha256, used_at: new Date() })
      .onConflict((oc) => oc.columns(['host_id', 'name']).doUpdateSet({ used_at: new Date() }))
      .execute();
  });
}

/** Removes the host's copies that nothing needs (see above); returns their names. */
export async function pruneImageCache(db: Db, virsh: LibvirtHypervisor, hostId: string, imagePool: string, keepUnusedMs = KEEP_UNUSED_MS): Promise<string[]> {
  const unneeded = (q: Transaction<Database> | Db, cutoff: Date) =>
    q
      .selectFrom('image_cache_copies as c')
      .select(['c.name'])
      .where('c.host_id', '=', hostId)
      .where('c.used_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('images as i').select('i.id').whereRef('i.sha256', '=', 'c.sha256'))));
  const candidates = await unneeded(db, new Date(Date.now() - keepUnusedMs)).execute();
  if (!candidates.length) return [];

  const bases = await basesOnHost(virsh);
  const present = new Set(await virsh.listVolumes(imagePool));
  const removed: string[] = [];
  for (const { name } of candidates) {
    if (bases.has(name)) continue;
    await db.transaction().execute(async (trx) => {
      await lockCopy(trx, hostId, name);
      const still = await unneeded(trx, new Date(Date.now() - keepUnusedMs)).where('c.name', '=', name).executeTakeFirst();
      if (!still) return;
      // Removed while the lock is held: a deploy marking it waits, then finds it gone.
      if (present.has(name)) await virsh.deleteVolume(imagePool, name);
      await trx.deleteFrom('image_cache_copies').where('host_id', '=', hostId).where('name', '=', name).execute();
      removed.push(name);
    });
  }
  return removed;
}

/** The file names every volume and every domain disk on the host is, or backs onto. */
async function basesOnHost(virsh: LibvirtHypervisor): Promise<Set<string>> {
  const pools = await virsh.listPools();
  if (pools.inactive.length) throw new Error(`the pool(s) ${pools.inactive.join(', ')} are not running: their volumes cannot be checked, so no cached image is removed`);
  const bases = new Set<string>();
  const volumePaths = new Set<string>();
  for (const pool of pools.active) {
    await virsh.refreshPool(pool);
    for (const volume of await virsh.listVolumes(pool)) {
      const { path, backingPath } = await virsh.volumePaths(pool, volume);
      volumePaths.add(path);
      if (backingPath) bases.add(basename(backingPath));
    }
  }
  for (const disk of await virsh.domainDisks()) {
    for (const file of disk.files) bases.add(basename(file));
    // A stopped domain's disk outside every pool may back onto a copy, and nothing here can say
    // which: removing a base would ruin that disk, so nothing is removed while it is there.
    const outside = disk.files.find((file) => !volumePaths.has(file));
    if (!disk.wholeChain && outside) {
      throw new Error(`the disk ${outside} of the domain ${disk.domain} is in no storage pool and the domain is not running, so what it backs onto cannot be checked: no cached image is removed`);
    }
  }
  return bases;
}
