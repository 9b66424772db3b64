import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator, type Migration } from 'kysely';
import { migrateToLatest, openDatabase } from '../../db/connection.ts';
import * as m0001 from '../../db/migrations/0001_control_plane.ts';
import * as m0002 from '../../db/migrations/0002_hosts_vms_tasks.ts';
import * as m0003 from '../../db/migrations/0003_images_deploy.ts';
import * as m0004 from '../../db/migrations/0004_metrics.ts';
import * as m0005 from '../../db/migrations/0005_console_tickets.ts';
import * as m0006 from '../../db/migrations/0006_image_cache_copies.ts';
import * as m0007 from '../../db/migrations/0007_vm_manage_all.ts';
import * as m0008 from '../../db/migrations/0008_login_throttle.ts';
import * as m0019 from '../../db/migrations/0019_vm_disks.ts';
import { freshPostgresDatabase } from '../support/hangar.ts';
import { sql } from 'kysely';

const TABLES = ['api_tokens', 'audit_log', 'backup_schedules', 'backup_targets', 'backups', 'collector_leases', 'collectors', 'console_tickets', 'host_leftovers', 'host_metric_rollups', 'host_metric_samples', 'hosts', 'image_cache_copies', 'image_repositories', 'image_shares', 'images', 'ip_allocations', 'ip_pools', 'login_throttle', 'metric_rollup_marks', 'oidc_group_roles', 'oidc_identities', 'oidc_logins', 'oidc_providers', 'quotas', 'recovery_codes', 'repository_images', 'role_privileges', 'roles', 'second_factor_challenges', 'sessions', 'task_log', 'task_steps', 'tasks', 'totp_secrets', 'user_roles', 'users', 'vm_disks', 'vm_interfaces', 'vm_metric_counters', 'vm_metric_rollups', 'vm_metric_samples', 'vm_snapshots', 'vms', 'webauthn_credentials'];

async function check(db: ReturnType<typeof openDatabase>) {
  assert.deepEqual(await migrateToLatest(db), ['0001_control_plane', '0002_hosts_vms_tasks', '0003_images_deploy', '0004_metrics', '0005_console_tickets', '0006_image_cache_copies', '0007_vm_manage_all', '0008_login_throttle', '0009_vm_network', '0010_task_outcomes', '0011_image_repositories', '0012_second_factor', '0013_vm_migrate', '0014_oidc_providers', '0015_multi_host', '0016_vm_transfer_tags', '0017_snapshots', '0018_backups', '0019_vm_disks', '0020_vm_interfaces_iso', '0021_vm_metric_counters', '0022_backup_schedules']);
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

test('0007 gives VM.ManageAll to the built-in Operator and Administrator of an existing install, and to no one else', async () => {
  const database = await freshPostgresDatabase();
  const db = openDatabase({ url: database.url, dataDir: '' });
  try {
    // An install made before 0007: its built-in roles were seeded without VM.ManageAll.
    const before: Record<string, Migration> = { '0001_control_plane': m0001, '0002_hosts_vms_tasks': m0002, '0003_images_deploy': m0003, '0004_metrics': m0004, '0005_console_tickets': m0005, '0006_image_cache_copies': m0006 };
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    if (error) throw error;
    await db.deleteFrom('role_privileges').where('privilege', '=', 'VM.ManageAll').execute();
    await db.insertInto('roles').values({ name: 'Operators of the lab', description: 'an admin-made role', built_in: false }).execute();
    // Later migrations may follow; 0007 runs first.
    assert.equal((await migrateToLatest(db))[0], '0007_vm_manage_all');
    const holders = await db
      .selectFrom('role_privileges as rp')
      .innerJoin('roles as r', 'r.id', 'rp.role_id')
      .select(['r.name', 'r.built_in'])
      .where('rp.privilege', '=', 'VM.ManageAll')
      .orderBy('r.name')
      .execute();
    assert.deepEqual(holders, [
      { name: 'Administrator', built_in: true },
      { name: 'Operator', built_in: true },
    ]);
    const columns = (await db.introspection.getTables()).find((t) => t.name === 'api_tokens')!.columns.map((c) => c.name);
    assert.ok(columns.includes('parent_id'));
  } finally {
    await db.destroy();
    await database.drop();
  }
});

test('0009 records on each existing VM the network its host gave it, and no NIC where the host had none', async () => {
  const database = await freshPostgresDatabase();
  const db = openDatabase({ url: database.url, dataDir: '' });
  try {
    const before: Record<string, Migration> = {
      '0001_control_plane': m0001, '0002_hosts_vms_tasks': m0002, '0003_images_deploy': m0003, '0004_metrics': m0004,
      '0005_console_tickets': m0005, '0006_image_cache_copies': m0006, '0007_vm_manage_all': m0007, '0008_login_throttle': m0008,
    };
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    if (error) throw error;
    const owner = await db.insertInto('users').values({ email: 'o@example.com', name: 'O', password_hash: 'x' } as any).returning('id').executeTakeFirstOrThrow();
    const host = (name: string, network: unknown) =>
      db.insertInto('hosts').values({ name, uri: `test:///${name}`, status: 'online', settings: JSON.stringify({ network }), domain_type: 'qemu' } as any).returning('id').executeTakeFirstOrThrow();
    const wired = await host('wired', { kind: 'bridge', name: 'br0' });
    const bare = await host('bare', null);
    const vm = (name: string, hostId: string) => db.insertInto('vms').values({ name, owner_id: owner.id, host_id: hostId, vcpus: 1, memory_mb: 128, disk_gb: 1 } as any).returning('id').executeTakeFirstOrThrow();
    const [a, b] = [await vm('a', wired.id), await vm('b', bare.id)];
    assert.equal((await migrateToLatest(db))[0], '0009_vm_network');
    const rows = await db.selectFrom('vms').select(['id', 'network']).execute();
    assert.deepEqual(rows.find((r) => r.id === a.id)!.network, { kind: 'bridge', name: 'br0' });
    assert.equal(rows.find((r) => r.id === b.id)!.network, null);
  } finally {
    await db.destroy();
    await database.drop();
  }
});

test('0019 gives each existing VM its boot disk (vda, its volume, its size), not a deleted one', async () => {
  const database = await freshPostgresDatabase();
  const db = openDatabase({ url: database.url, dataDir: '' });
  try {
    await migrateToLatest(db);
    await m0019.down(db as any);
    const owner = await db.insertInto('users').values({ email: 'o@example.com', name: 'O', password_hash: 'x' } as any).returning('id').executeTakeFirstOrThrow();
    const vm = (name: string, deleted: boolean) =>
      db.insertInto('vms').values({ name, owner_id: owner.id, vcpus: 1, memory_mb: 128, disk_gb: 7, deleted_at: deleted ? new Date() : null } as any).returning('id').executeTakeFirstOrThrow();
    const [live, gone] = [await vm('live', false), await vm('gone', true)];
    await m0019.up(db as any);
    const rows = await db.selectFrom('vm_disks').select(['vm_id', 'volume', 'pool', 'size_gb', 'bus', 'target', 'boot_order', 'is_boot']).execute();
    assert.deepEqual(rows, [{ vm_id: live.id, volume: `${live.id}.qcow2`, pool: null, size_gb: 7, bus: 'virtio', target: 'vda', boot_order: 1, is_boot: true }]);
    assert.ok(!rows.some((r) => r.vm_id === gone.id));
  } finally {
    await db.destroy();
    await database.drop();
  }
});

test('0020 moves each existing VM\u2019s NIC into vm_interfaces with its pool address, and VMs may then hold an address per interface', async () => {
  const database = await freshPostgresDatabase();
  const db = openDatabase({ url: database.url, dataDir: '' });
  try {
    // Everything before 0020, as an install that has not taken it yet.
    const names = ['0001_control_plane', '0002_hosts_vms_tasks', '0003_images_deploy', '0004_metrics', '0005_console_tickets', '0006_image_cache_copies', '0007_vm_manage_all', '0008_login_throttle', '0009_vm_network', '0010_task_outcomes', '0011_image_repositories', '0012_second_factor', '0013_vm_migrate', '0014_oidc_providers', '0015_multi_host', '0016_vm_transfer_tags', '0017_snapshots', '0018_backups', '0019_vm_disks'];
    const before: Record<string, Migration> = {};
    for (const name of names) before[name] = await import(`../../db/migrations/${name}.ts`);
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    if (error) throw error;
    const owner = await db.insertInto('users').values({ email: 'o@example.com', name: 'O', password_hash: 'x' } as any).returning('id').executeTakeFirstOrThrow();
    const host = await db.insertInto('hosts').values({ name: 'h', uri: 'test:///h', status: 'online', settings: '{}', domain_type: 'qemu' } as any).returning('id').executeTakeFirstOrThrow();
    const vm = (name: string, network: unknown) =>
      db.insertInto('vms').values({ name, owner_id: owner.id, host_id: host.id, vcpus: 1, memory_mb: 128, disk_gb: 1, mac_address: network ? '52:54:00:aa:bb:cc' : null, network: network ? JSON.stringify(network) : null } as any).returning('id').executeTakeFirstOrThrow();
    const [wired, bare] = [await vm('wired', { kind: 'network', name: 'default' }), await vm('bare', null)];
    const pool = await db.insertInto('ip_pools').values({ host_id: host.id, name: 'p', cidr: '10.9.0.0/24', gateway: null, range_start: '10.9.0.10', range_end: '10.9.0.20' } as any).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('ip_allocations').values({ pool_id: pool.id, address: '10.9.0.10', vm_id: wired.id } as any).execute();
    assert.equal((await migrateToLatest(db))[0], '0020_vm_interfaces_iso');
    const nics = await db.selectFrom('vm_interfaces').selectAll().execute();
    assert.equal(nics.length, 1);
    assert.deepEqual({ vm: nics[0].vm_id, position: nics[0].position, mac: nics[0].mac_address, network: nics[0].network }, { vm: wired.id, position: 0, mac: '52:54:00:aa:bb:cc', network: { kind: 'network', name: 'default' } });
    assert.equal((await db.selectFrom('ip_allocations').select('interface_id').executeTakeFirstOrThrow()).interface_id, nics[0].id);
    assert.ok(!(await db.selectFrom('vm_interfaces').select('id').where('vm_id', '=', bare.id).executeTakeFirst()), 'no NIC for a VM without one');
    // A second address for the same VM (another interface) is allowed now.
    const second = await db.insertInto('vm_interfaces').values({ vm_id: wired.id, position: 1, mac_address: '52:54:00:aa:bb:cd', network: JSON.stringify({ kind: 'network', name: 'default' }) }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('ip_allocations').values({ pool_id: pool.id, address: '10.9.0.11', vm_id: wired.id, interface_id: second.id } as any).execute();
    // Images made before are disk images.
    assert.equal((await sql<{ d: string }>`select column_default as d from information_schema.columns where table_name = 'images' and column_name = 'kind'`.execute(db)).rows[0]?.d, "'disk'::text");
  } finally {
    await db.destroy();
    await database.drop();
  }
});
