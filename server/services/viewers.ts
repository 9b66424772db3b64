import type { Db } from '../../db/connection.ts';
import type { PubSub, RightsChanged } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { resolveViewer, type Viewer } from './auth.ts';
import { API_TOKEN_PREFIX, SESSION_PREFIX, hashSecret } from './secrets.ts';

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
  private readonly cache = new Map<string, { viewer: Viewer; expiresAt: Date | null; until: number }>();
  private readonly listeners = new Set<(change: RightsChanged) => Promise<void> | void>();
  private readonly changes: AsyncIterableIterator<RightsChanged>;
  /** Counts changes of rights: a read that overlapped one is not cached (it may predate it). */
  private generation = 0;
  /** Pub/sub is down: changes made elsewhere are not heard, so nothing is cached meanwhile. */
  private deaf = false;

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
    return (await this.resolveWithExpiry(secret))?.viewer ?? null;
  }

  /** The viewer and when its credential expires (null: never), or null when the secret is no good. */
  async resolveWithExpiry(secret: string): Promise<{ viewer: Viewer; expiresAt: Date | null } | null> {
    const key = hashSecret(secret);
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached;
    const generation = this.generation;
    const [viewer, expiresAt] = await Promise.all([resolveViewer(this.db, secret), expiryOfSecret(this.db, secret)]);
    if (!viewer) {
      this.cache.delete(key);
      return null;
    }
    if (generation === this.generation && !this.deaf) {
      if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      // Never past the credential's own end.
      this.cache.set(key, { viewer, expiresAt, until: Math.min(Date.now() + CACHE_TTL_MS, expiresAt?.getTime() ?? Infinity) });
    } else {
      this.cache.delete(key);
    }
    return { viewer, expiresAt };
  }

  /** Reads the secret again, past the cache (a socket re-checking its rights). */
  async refresh(secret: string): Promise<Viewer | null> {
    return (await this.refreshWithExpiry(secret))?.viewer ?? null;
  }

  async refreshWithExpiry(secret: string): Promise<{ viewer: Viewer; expiresAt: Date | null } | null> {
    this.cache.delete(hashSecret(secret));
    return this.resolveWithExpiry(secret);
  }

  /** When a console's session or API token expires (null: never, or neither given). */
  async expiryOfCredential(credential: { sessionId: string | null; tokenId: string | null }): Promise<Date | null> {
    const ends: Date[] = [];
    if (credential.sessionId) {
      const row = await this.db.selectFrom('sessions').select('expires_at').where('id', '=', credential.sessionId).executeTakeFirst();
      if (row) ends.push(row.expires_at);
    }
    if (credential.tokenId) {
      const row = await this.db.selectFrom('api_tokens').select('expires_at').where('id', '=', credential.tokenId).executeTakeFirst();
      if (row?.expires_at) ends.push(row.expires_at);
    }
    return ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null;
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
    if (change.pubsub) this.deaf = change.pubsub === 'down';
    if (change.all || change.pubsub) return this.cache.clear();
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

/** The expiry of a session or API token secret (null: a token that never expires, or no such secret). */
async function expiryOfSecret(db: Db, secret: string): Promise<Date | null> {
  const tokenHash = hashSecret(secret);
  if (secret.startsWith(SESSION_PREFIX)) {
    const row = await db.selectFrom('sessions').select('expires_at').where('token_hash', '=', tokenHash).executeTakeFirst();
    return row?.expires_at ?? null;
  }
  if (secret.startsWith(API_TOKEN_PREFIX)) {
    const row = await db.selectFrom('api_tokens').select('expires_at').where('token_hash', '=', tokenHash).executeTakeFirst();
    return row?.expires_at ?? null;
  }
  return null;
}
