import type { PgBoss } from 'pg-boss';
import { Collector } from './collector/collector.ts';
import { migrateToLatest, openDatabase, type Db } from '../db/connection.ts';
import type { Config } from './config.ts';
import { createEventBus, type EventBus } from './events/pubsub.ts';
import { startApiServer, type ApiServer } from './http/server.ts';
import { openQueue } from './queue/queue.ts';
import { Worker } from './jobs/worker.ts';
import type { Logger } from './log.ts';
import { registerLocalHost } from './services/hosts.ts';

export type ProcessName = 'api' | 'worker' | 'collector';

export interface Hangar {
  db: Db;
  bus: EventBus;
  /** Null in a process that only collects: the collector needs no queue. */
  boss: PgBoss | null;
  api: ApiServer | null;
  worker: Worker | null;
  collector: Collector | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  migrate: boolean;
  /** Processes to run here. */
  processes: ProcessName[];
  /** Register this machine's libvirt as host `local` (the all-in-one `start`). */
  registerLocalHost?: boolean;
  /** Hosts the worker serves (names); empty: all. */
  workerHosts?: string[];
}

export async function startHangar(config: Config, log: Logger, options: StartOptions): Promise<Hangar> {
  const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, onIdleError: (err) => log.warn({ err: err.message }, 'a database connection was dropped') });
  if (options.migrate) {
    const applied = await migrateToLatest(db);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const bus = createEventBus(config.redisUrl, log, config.redisChannelPrefix);
  const collectorOnly = options.processes.length > 0 && options.processes.every((p) => p === 'collector');
  // Workers keep pg-boss's clock: they send the jobs of cron schedules (backup schedules) when due.
  const boss = collectorOnly ? null : await openQueue(db, config, log, { schedule: options.processes.includes('worker') });
  if (options.registerLocalHost && boss) {
    const { host, problem } = await registerLocalHost(db, boss, config);
    if (problem) log.warn(problem);
    if (host) log.info({ host: host.name, uri: host.uri, domainType: host.domain_type, network: (host.settings as { network?: { name: string } | null })?.network?.name ?? 'none' }, 'local libvirt registered');
  }
  const worker = boss && options.processes.includes('worker') ? new Worker({ db, pubsub: bus.pubsub, boss, config, log, hostNames: options.workerHosts ?? [] }) : null;
  await worker?.start();
  const collector = options.processes.includes('collector') ? new Collector({ db, pubsub: bus.pubsub, config, log }) : null;
  await collector?.start();
  const api = boss && options.processes.includes('api') ? await startApiServer({ db, boss, config, bus, log }) : null;
  if (api) log.info({ url: api.url, database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`, pubsub: config.redisUrl ? 'redis' : 'in-process' }, 'Hangar API listening');
  return {
    db,
    bus,
    boss,
    api,
    worker,
    collector,
    stop: async () => {
      try {
        await collector?.stop();
        await api?.close();
        await worker?.stop();
        await boss?.stop({ graceful: true, timeout: 5000 });
        await bus.close();
      } finally {
        await db.destroy();
      }
    },
  };
}
