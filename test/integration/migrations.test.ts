import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateToLatest, openDatabase } from '../../db/connection.ts';
import { freshPostgresDatabase } from '../support/hangar.ts';

const TABLES = ['api_tokens', 'audit_log', 'collector_leases', 'collectors', 'console_tickets', 'host_metric_rollups', 'host_metric_samples', 'hosts', 'image_cache_copies', 'image_shares', 'images', 'ip_allocations', 'ip_pools', 'login_failures', 'metric_rollup_marks', 'quotas', 'role_privileges', 'roles', 'sessions', 'task_log', 'task_steps', 'tasks', 'user_roles', 'users', 'vm_metric_rollups', 'vm_metric_samples', 'vms'];

async function check(db: ReturnType<typeof openDatabase>) {
  assert.deepEqual(await migrateToLatest(db), ['0001_control_plane', '0002_hosts_vms_tasks', '0003_images_deploy', '0004_metrics', '0005_console_tickets', '0006_image_cache_copies']);
  assert.deepEqual(await migrateToLatest(db), [], 'a second run changes nothing');
  const tables = await db.introspection.getTables();
  assert.deepEqual(tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_')).sort(), TABLES);
  const roles = await db.selectFrom('roles').select('name').where('built_in', '=', true).orderBy('name').execute();
  assert.deepEqual(roles.map((r) => r.name), ['Administrator', 'Auditor', 'Operator', 'User']);
}

test('migrations run on a real Postgres, and again as a no-op', async () => {
  const database = await freshPostgresDatabase();
  const db = openDatabase({ url: database.url, dataDir: '' });
  try {
    await check(db);
  } finally {
    await db.destroy();
    await database.drop();
  }
});

test('the same migrations run on embedded PGlite', async () => {
  const db = openDatabase({ dataDir: 'memory://' });
  try {
    await check(db);
  } finally {
    await db.destroy();
  }
});
