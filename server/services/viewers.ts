import type { Db } from '../../db/connection.ts';
import type { PubSub, RightsChanged } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { resolveViewer, type Viewer } from './auth.ts';
import { hashSecret } from './secrets.ts';

// A safety net only: every change of rights clears its entries at once through pub/sub.
const CACHE_TTL_MS = 10_000;
const CACHE_MAX_ENTRIES = 50_000;

/**
 * Who a session or token secret belongs to, read from the database and cached until a change of
 * rights (announced on this process or any other through pub/sub) touches it.
 */
export class ViewerDirectory {
  private readonly db: Db;
  private readonly pubsub: PubSub;
  private readonly cache = new Map<string, { viewer: Viewer; until: number }>();
  private readonly listeners = new Set<(change: RightsChanged) => Promise<void> | void>();
  private readonly changes: AsyncIterableIterator<RightsChanged>;
  /** Counts changes of rights: a read that overlapped one is not cached (it may predate it). */
  private generation = 0;

  constructor(db: Db, pubsub: PubSub, log: Logger) {
    this.db = db;
    this.pubsub = pubsub;
    const changes = pubsub.subscribe('rights:changed');
    this.changes = changes;
    void (async () => {
      for await (const change of changes) {
        this.forget(change);
        for (const listener of this.listeners) await Promise.resolve(listener(change)).catch((err) => log.error({ err }, 'a rights-change listener failed'));
      }
    })();
  }

  async resolve(secret: string): Promise<Viewer | null> {
    const key = hashSecret(secret);
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.viewer;
    const generation = this.generation;
    const viewer = await resolveViewer(this.db, secret);
    if (viewer && generation === this.generation) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { viewer, until: Date.now() + CACHE_TTL_MS });
    } else {
      this.cache.delete(key);
    }
    return viewer;
  }

  /** Reads the secret again, past the cache (a socket re-checking its rights). */
  async refresh(secret: string): Promise<Viewer | null> {
    this.cache.delete(hashSecret(secret));
    return this.resolve(secret);
  }

  /** Call after committing a change of rights: this process forgets at once, the others through pub/sub. */
  announce(change: RightsChanged): void {
    this.forget(change);
    this.pubsub.publish('rights:changed', change);
  }

  /** Runs after each change of rights, once the cache has forgotten what it touched. */
  onChange(listener: (change: RightsChanged) => Promise<void> | void): void {
    this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.changes.return?.();
  }

  private forget(change: RightsChanged): void {
    this.generation++;
    if (change.all) return this.cache.clear();
    for (const [key, { viewer }] of this.cache) {
      if (
        change.userIds?.includes(viewer.userId) ||
        (viewer.sessionId && change.sessionIds?.includes(viewer.sessionId)) ||
        (viewer.tokenId && change.tokenIds?.includes(viewer.tokenId))
      ) {
        this.cache.delete(key);
      }
    }
  }
}
