// A deploy copies its image into the host's image pool once (image-<sha256>.qcow2) and backs VM
// disks onto that copy. The copy outlives the image: once the image is gone from the catalogue and
// no disk backs onto the copy, nothing can use it again, and it is removed so hosts' storage does
// not fill up. In any doubt (a pool or volume that cannot be read, a volume anywhere on the host
// backing onto a file of that name) the copy is kept.
import { basename } from 'node:path';
import type { Db } from '../../db/connection.ts';
import type { Virsh } from '../hypervisor/virsh.ts';
import type { HostSettings } from '../services/hosts.ts';
import { cachedImageName } from './install.ts';

const CACHED_IMAGE = /^image-[0-9a-f]{32}\.(qcow2|raw)$/;

/** Removes the host's cached images that no image of the catalogue and no disk needs; returns their names. */
export async function pruneImageCache(db: Db, virsh: Virsh, settings: Pick<HostSettings, 'imagePool'>): Promise<string[]> {
  const cached = (await virsh.listVolumes(settings.imagePool)).filter((name) => CACHED_IMAGE.test(name));
  if (!cached.length) return [];
  // Any image with that content keeps its copy, whatever its state (one being re-imported, say).
  const images = await db.selectFrom('images').select(['sha256', 'format']).where('sha256', 'is not', null).execute();
  const wanted = new Set(images.map((image) => cachedImageName(image)));
  const unwanted = cached.filter((name) => !wanted.has(name));
  if (!unwanted.length) return [];

  // Every volume's base, by file name, in every pool of the host: a disk made before the host's
  // disk pool was changed, of a VM the catalogue no longer knows, or of another installation
  // sharing the host still needs its base. A pool that is not running or a volume that cannot be
  // read keeps everything.
  const pools = await virsh.listPools();
  if (pools.inactive.length) throw new Error(`the pool(s) ${pools.inactive.join(', ')} are not running: their disks cannot be checked, so no cached image is removed`);
  const bases = new Set<string>();
  for (const pool of pools.active) {
    await virsh.refreshPool(pool);
    for (const volume of await virsh.listVolumes(pool)) {
      const base = await virsh.volumeBackingPath(pool, volume);
      if (base) bases.add(basename(base));
    }
  }
  const removed: string[] = [];
  for (const name of unwanted) {
    if (bases.has(name)) continue;
    await virsh.deleteVolume(settings.imagePool, name);
    removed.push(name);
  }
  return removed;
}
