// Each served host's cached image copies nothing needs go, every HANGAR_IMAGE_CACHE_PRUNE_SECONDS
// (on a timer of its own: a pass reads every volume and domain of the host). A pass that failed is
// tried again after a few minutes.
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { settingsOf } from '../services/hosts.ts';
import { pruneImageCache } from './image-cache.ts';

/** A pass over a host's cached images that failed is tried again after this long. */
export const PRUNE_RETRY_MS = 5 * 60_000;

export class CachePruner {
  private readonly deps: { db: Db; config: Config; log: Logger };
  /** When each served host's image cache is next pruned. */
  private readonly prunedAt = new Map<string, number>();
  private pruning = false;

  constructor(deps: { db: Db; config: Config; log: Logger }) {
    this.deps = deps;
  }

  /** One pass over the given hosts whose turn it is; `stopping` ends it early. */
  async pass(hostIds: Iterable<string>, stopping: () => boolean): Promise<void> {
    const { db, config, log } = this.deps;
    if (this.pruning) return;
    this.pruning = true;
    try {
      for (const hostId of hostIds) {
        if ((this.prunedAt.get(hostId) ?? 0) > Date.now()) continue;
        // Read again: its pools may have been changed since it was first served.
        const host = await db.selectFrom('hosts').selectAll().where('id', '=', hostId).executeTakeFirst();
        if (!host || host.status !== 'online' || stopping()) continue;
        try {
          const removed = await pruneImageCache(db, hypervisorFor(host, { timeoutMs: 60_000 }), host.id, settingsOf(host, config).imagePool);
          if (removed.length) log.info({ host: host.name, removed }, 'removed cached copies of images nothing needs');
          this.prunedAt.set(hostId, Date.now() + config.imageCachePruneMs);
        } catch (error) {
          log.warn({ host: host.name, err: (error as Error).message }, 'cached images were not pruned; trying again soon');
          this.prunedAt.set(hostId, Date.now() + Math.min(config.imageCachePruneMs, PRUNE_RETRY_MS));
        }
      }
    } finally {
      this.pruning = false;
    }
  }
}
