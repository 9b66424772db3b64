import { migrateToLatest, openDatabase, type Db } from '../db/connection.ts';
import type { Config } from './config.ts';
import { createEventBus, type EventBus } from './events/pubsub.ts';
import { startApiServer, type ApiServer } from './http/server.ts';
import type { Logger } from './log.ts';

export interface Hangar {
  db: Db;
  bus: EventBus;
  api: ApiServer | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  migrate: boolean;
  /** Processes to run here; `worker` and `collector` join this list with their issues. */
  processes: Array<'api'>;
}

export async function startHangar(config: Config, log: Logger, options: StartOptions): Promise<Hangar> {
  const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, onIdleError: (err) => log.warn({ err: err.message }, 'a database connection was dropped') });
  if (options.migrate) {
    const applied = await migrateToLatest(db);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const bus = createEventBus(config.redisUrl, log, config.redisChannelPrefix);
  const api = options.processes.includes('api') ? await startApiServer({ db, config, bus, log }) : null;
  if (api) log.info({ url: api.url, database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`, pubsub: config.redisUrl ? 'redis' : 'in-process' }, 'Hangar API listening');
  return {
    db,
    bus,
    api,
    stop: async () => {
      try {
        await api?.close();
        await bus.close();
      } finally {
        await db.destroy();
      }
    },
  };
}
