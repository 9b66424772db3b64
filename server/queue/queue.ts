import type { Transaction } from 'kysely';
import { PgBoss, fromKysely, fromPglite, type Db as BossDb } from 'pg-boss';
import { embeddedInstanceOf, type Db } from '../../db/connection.ts';
import type { Database } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

/** What a job carries: the task row holds everything else. */
export interface JobData {
  taskId: string;
}

export const hostQueue = (hostId: string) => `host.${hostId}`;

/**
 * pg-boss in Hangar's own database. On Postgres it gets its own small pool and a LISTEN
 * connection; on embedded PGlite it shares the one session, so every statement waits for
 * Kysely's connection (an open Kysely transaction must never see pg-boss's statements).
 */
export async function openQueue(db: Db, config: Config, log: Logger, options: { schedule?: boolean } = {}): Promise<PgBoss> {
  const pglite = embeddedInstanceOf(db);
  const common = { useListenNotify: true, schedule: options.schedule ?? false, instanceName: `hangar-${process.pid}` };
  let boss: PgBoss;
  if (pglite) {
    const direct = fromPglite(pglite);
    const serialized: BossDb = { ...direct, executeSql: (text, values) => db.connection().execute(() => direct.executeSql(text, values)) };
    boss = new PgBoss({ ...common, db: serialized, backend: 'pglite' });
  } else {
    boss = new PgBoss({ ...common, connectionString: config.databaseUrl, max: 4 });
  }
  boss.on('error', (err: Error) => log.error({ err: err.message }, 'job queue error'));
  await boss.start();
  return boss;
}

/**
 * One queue per host. key_strict_fifo with the VM id as key: one VM's operations run one at a
 * time, in the order they were asked for; other VMs' jobs pass by. Jobs never fail in pg-boss
 * (a failed job would hold back its successors): the task row records the outcome.
 */
export async function ensureHostQueue(boss: PgBoss, hostId: string): Promise<void> {
  const name = hostQueue(hostId);
  if (await boss.getQueue(name)) return;
  await boss.createQueue(name, { policy: 'key_strict_fifo', notify: true, retryLimit: 0, expireInSeconds: 6 * 3600 });
}

/** Sends the job inside the caller's transaction: it exists exactly when the task does. */
export async function enqueueInTransaction(boss: PgBoss, trx: Transaction<Database>, hostId: string, key: string, data: JobData): Promise<string> {
  const id = await boss.send(hostQueue(hostId), data, { singletonKey: key, db: fromKysely(trx) });
  if (!id) throw new Error(`the job for task ${data.taskId} was not accepted`);
  return id;
}
