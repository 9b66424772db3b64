import { mkdirSync } from 'node:fs';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './types.ts';
import * as m0001 from './migrations/0001_control_plane.ts';
import * as m0002 from './migrations/0002_hosts_vms_tasks.ts';
import * as m0003 from './migrations/0003_images_deploy.ts';
import * as m0004 from './migrations/0004_metrics.ts';
import * as m0005 from './migrations/0005_console_tickets.ts';
import * as m0006 from './migrations/0006_image_cache_copies.ts';
import * as m0007 from './migrations/0007_vm_manage_all.ts';
import * as m0008 from './migrations/0008_login_throttle.ts';
import * as m0009 from './migrations/0009_vm_network.ts';
import * as m0010 from './migrations/0010_task_outcomes.ts';
import * as m0011 from './migrations/0011_image_repositories.ts';
import * as m0012 from './migrations/0012_second_factor.ts';
import * as m0013 from './migrations/0013_vm_migrate.ts';
import * as m0014 from './migrations/0014_oidc_providers.ts';
import * as m0015 from './migrations/0015_multi_host.ts';
import * as m0016 from './migrations/0016_vm_transfer_tags.ts';
import * as m0017 from './migrations/0017_snapshots.ts';
import * as m0018 from './migrations/0018_backups.ts';
import * as m0019 from './migrations/0019_vm_disks.ts';
import * as m0020 from './migrations/0020_vm_interfaces_iso.ts';
import * as m0021 from './migrations/0021_vm_metric_counters.ts';
import * as m0022 from './migrations/0022_backup_schedules.ts';

export type Db = Kysely<Database>;

// Listed here, not read from the folder, so a bundler or a typo cannot skip one.
const migrations: Record<string, Migration> = {
  '0001_control_plane': m0001,
  '0002_hosts_vms_tasks': m0002,
  '0003_images_deploy': m0003,
  '0004_metrics': m0004,
  '0005_console_tickets': m0005,
  '0006_image_cache_copies': m0006,
  '0007_vm_manage_all': m0007,
  '0008_login_throttle': m0008,
  '0009_vm_network': m0009,
  '0010_task_outcomes': m0010,
  '0011_image_repositories': m0011,
  '0012_second_factor': m0012,
  '0013_vm_migrate': m0013,
  '0014_oidc_providers': m0014,
  '0015_multi_host': m0015,
  '0016_vm_transfer_tags': m0016,
  '0017_snapshots': m0017,
  '0018_backups': m0018,
  '0019_vm_disks': m0019,
  '0020_vm_interfaces_iso': m0020,
  '0021_vm_metric_counters': m0021,
  '0022_backup_schedules': m0022,
};

// bigint counts come back as strings from pg; keep them as strings (ids) but parse int8 counts where used.
export interface DatabaseTarget {
  /** postgres://… for a server; undefined for embedded PGlite in dataDir ('memory://' for tests). */
  url?: string;
  dataDir: string;
  onIdleError?: (error: Error) => void;
}

export function openDatabase(target: DatabaseTarget): Db {
  if (target.url) {
    const pool = new pg.Pool({ connectionString: target.url, max: 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process; the pool reconnects.
    pool.on('error', (error) => target.onIdleError?.(error));
    // pg-pool listens for errors only on idle clients: one checked out between two statements whose
    // server went away would emit an 'error' nobody hears and crash the process. Its next statement fails instead.
    pool.on('connect', (client) => client.on('error', () => {}));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (!target.dataDir.startsWith('memory://')) mkdirSync(target.dataDir, { recursive: true });
  const pglite = new PGlite(target.dataDir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  embedded.set(db, pglite);
  return db;
}

const embedded = new WeakMap<Db, PGlite>();

/** The embedded PGlite behind a database, or undefined for a Postgres server. */
export function embeddedInstanceOf(db: Db): PGlite | undefined {
  return embedded.get(db);
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
