import pg from 'pg';
import type { Db } from '../../db/connection.ts';
import { embeddedInstanceOf } from '../../db/connection.ts';

/**
 * Tells whether the worker that marked a task running is still alive. On Postgres each worker
 * holds a session advisory lock named after its id on a connection of its own: a killed process
 * loses its connection and so its lock at once. Embedded PGlite has one process only, so every
 * other worker id belongs to a process that has ended.
 */
export interface Liveness {
  isAlive(workerId: string): Promise<boolean>;
  close(): Promise<void>;
}

const lockKey = (workerId: string) => `hangar-worker:${workerId}`;

export async function holdLiveness(db: Db, databaseUrl: string | undefined, workerId: string): Promise<Liveness> {
  if (embeddedInstanceOf(db) || !databaseUrl) {
    return { isAlive: async (id) => id === workerId, close: async () => {} };
  }
  const client = new pg.Client({ connectionString: databaseUrl, application_name: `hangar-worker ${workerId}` });
  client.on('error', () => {});
  await client.connect();
  await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey(workerId)]);
  return {
    async isAlive(id) {
      if (id === workerId) return true;
      // Taking the lock proves its holder is gone; give it back at once.
      const { rows } = await client.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as free', [lockKey(id)]);
      if (rows[0].free) await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey(id)]);
      return !rows[0].free;
    },
    close: () => client.end(),
  };
}
