import pg from 'pg';
import type { Db } from '../../db/connection.ts';
import { embeddedInstanceOf } from '../../db/connection.ts';
import type { Logger } from '../log.ts';

/**
 * Tells whether the worker that marked a task running is still alive. On Postgres each worker
 * holds a session advisory lock named after its id on a connection of its own: a killed process
 * loses its connection and so its lock at once. Embedded PGlite has one process only, so every
 * other worker id belongs to a process that has ended.
 *
 * A live worker loses its lock too when Postgres restarts (every session ends): it reconnects with
 * back-off and takes its lock again, and takes no job meanwhile (held()). So a free lock alone does
 * not prove death: a worker counts as dead only once its lock has been seen free, check after
 * check, for a grace period during which the observer's own connection stayed up (an outage
 * restarts the count: the other worker may have been cut off by the same outage). The grace
 * period is counted from when the observer can see the database again, so however long Postgres
 * was away, a live worker has the whole grace period to come back, which it does within its
 * reconnect back-off (capped at a quarter of the grace period).
 */
export interface Liveness {
  /** Whether this worker holds its lock now (false while it reconnects). */
  holding(): boolean;
  /** Resolves once this worker holds its lock (at once when it does). */
  held(): Promise<void>;
  /**
   * Runs recover while holding a dead worker's lock (so it cannot come back in the middle), when
   * the worker counts as dead (see above); returns whether it ran. Never for this worker itself.
   */
  whileDead(workerId: string, recover: () => Promise<void>): Promise<boolean>;
  close(): Promise<void>;
}

export interface LivenessOptions {
  /** How long a worker's lock must be seen free before it counts as dead. */
  graceMs: number;
  log?: Logger;
  /** Called each time the lock is held again after it was lost. */
  onRegained?: () => void;
}

const lockKey = (workerId: string) => `hangar-worker:${workerId}`;
const FIRST_RETRY_MS = 250;

export async function holdLiveness(db: Db, databaseUrl: string | undefined, workerId: string, options: LivenessOptions): Promise<Liveness> {
  if (embeddedInstanceOf(db) || !databaseUrl) {
    return {
      holding: () => true,
      held: async () => {},
      whileDead: async (id, recover) => {
        if (id === workerId) return false;
        await recover();
        return true;
      },
      close: async () => {},
    };
  }
  const holder = new LockHolder(databaseUrl, workerId, options);
  await holder.connectOnce();
  return holder;
}

class LockHolder implements Liveness {
  private readonly url: string;
  private readonly workerId: string;
  private readonly options: LivenessOptions;
  private readonly maxRetryMs: number;
  private client: pg.Client | null = null;
  /** Grows each time the lock is taken: a mark from an earlier connection does not count. */
  private epoch = 0;
  private closing = false;
  private reconnecting: Promise<void> | null = null;
  private waiters: Array<() => void> = [];
  /** Since when (and on which connection) each other worker's lock has been seen free. */
  private readonly freeSince = new Map<string, { at: number; epoch: number }>();

  constructor(url: string, workerId: string, options: LivenessOptions) {
    this.url = url;
    this.workerId = workerId;
    this.options = options;
    this.maxRetryMs = Math.max(FIRST_RETRY_MS, Math.min(5000, options.graceMs / 4));
  }

  holding(): boolean {
    return this.client !== null;
  }

  held(): Promise<void> {
    if (this.client) return Promise.resolve();
    if (this.closing) return new Promise(() => {}); // a stopping worker starts nothing
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Connects and takes the lock; throws when that fails (a worker that cannot start says so). */
  async connectOnce(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: `hangar-worker ${this.workerId}`, keepAlive: true });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.lost(error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      // Blocks while another worker holds it to recover this one's tasks (see whileDead).
      await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey(this.workerId)]);
    } catch (error) {
      lost = true;
      await client.end().catch(() => {});
      throw error;
    }
    if (lost || this.closing) {
      await client.end().catch(() => {});
      throw new Error('the liveness connection ended while the lock was taken');
    }
    this.client = client;
    this.epoch++;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private lost(error?: Error): void {
    this.client = null;
    if (this.closing) return;
    this.options.log?.error({ err: error?.message }, 'the worker lost its liveness lock (database connection ended); it takes no job until it holds it again');
    this.reconnecting ??= this.reconnect().finally(() => (this.reconnecting = null));
  }

  private async reconnect(): Promise<void> {
    for (let delay = FIRST_RETRY_MS; !this.closing; delay = Math.min(delay * 2, this.maxRetryMs)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.closing) return;
      try {
        await this.connectOnce();
        this.options.log?.warn('the worker holds its liveness lock again');
        this.options.onRegained?.();
        return;
      } catch (error) {
        this.options.log?.warn({ err: (error as Error).message, retryInMs: Math.min(delay * 2, this.maxRetryMs) }, 'the liveness lock could not be taken again yet');
      }
    }
  }

  async whileDead(workerId: string, recover: () => Promise<void>): Promise<boolean> {
    const client = this.client;
    if (!client || workerId === this.workerId) return false;
    const key = lockKey(workerId);
    const { rows } = await client.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as free', [key]);
    if (!rows[0].free) {
      this.freeSince.delete(workerId);
      return false;
    }
    try {
      const mark = this.freeSince.get(workerId);
      if (!mark || mark.epoch !== this.epoch) {
        this.freeSince.set(workerId, { at: Date.now(), epoch: this.epoch });
        return false;
      }
      if (Date.now() - mark.at < this.options.graceMs) return false;
      await recover();
      this.freeSince.delete(workerId);
      return true;
    } finally {
      // The lock goes back when it is held on this connection still (a lost connection gave it back).
      if (this.client === client) await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => {});
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
    await this.reconnecting;
  }
}
