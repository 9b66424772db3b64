// Fleet figures (issue 24), selectable with BENCH_ONLY=fleet:
// - vms_list_p99_ms: `vms(first: 50)` and the last page over 5,000 VM rows, through the API, with the
//   query plan of the page query printed (it must walk the vms_list_idx index: keyset, no offset, no sort);
// - metrics_bytes_per_vm_day: database bytes one VM's raw samples, rollups and counters take for one
//   simulated day at the default interval (5 s), after the rollup job ran over that day;
// - on the real libvirtd, BENCH_FLEET_DOMAINS (200) running tiny guests (a halting boot sector, 64 MiB:
//   the API's smallest) created through Hangar: reconcile_ms_per_200 (one full reconcile pass of the
//   host) and collector_real_cpu_ms_per_vm_sample (the collector's CPU per VM-sample reading them);
// - burst_deploy_vs_manual_ratio: BENCH_BURST_VMS (20) deploys from one image requested at once on
//   one host until every domain runs, against the same by-hand steps (qemu-img overlay, genisoimage,
//   virsh define and start) in as many parallel lanes as the host's concurrency lets Hangar run.
// BENCH_FLEET_PARTS=list,storage,domains,burst runs a subset.
import { execFile } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Db } from '../../db/connection.ts';
import { HostSampler } from '../../server/collector/collector.ts';
import { loadConfig } from '../../server/config.ts';
import { createEventBus } from '../../server/events/pubsub.ts';
import { VM_FIELDS, columnOf } from '../../server/events/samples.ts';
import { cloudInitDocuments, hashPassword } from '../../server/hypervisor/cloud-init.ts';
import { readWithVirsh } from '../../server/hypervisor/domstats.ts';
import { domainXml } from '../../server/hypervisor/domain-xml.ts';
import { HostMonitor } from '../../server/jobs/host-monitor.ts';
import { cachedImageName } from '../../server/operations/install.ts';
import { createLogger } from '../../server/log.ts';
import { rollUpAndPrune } from '../../server/services/metrics.ts';
import { makeIdleIso } from '../../test/support/poweroff-iso.ts';
import { OperatorShell, uploadImage } from './deploy.ts';
import type { BenchContext } from './lib/context.ts';
import { benchDatabase } from './lib/database.ts';
import { gql } from './lib/gql.ts';
import { DomainStateProbe, LIBVIRT_URI, payloadOf, sleep, startLibvirtHangar, virsh, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median, percentile } from './lib/stats.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const GiB = 1024 ** 3;
const LIST_ROWS = 5000;
const LIST_ROUNDS = 200;
const STORAGE_VMS = 10;
const BURST_TARGET = 1.2;
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const rawIdOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1];

export async function benchFleet(ctx: BenchContext): Promise<void> {
  const parts = (process.env.BENCH_FLEET_PARTS ?? 'list,storage,domains,burst').split(',').map((s) => s.trim());
  if (parts.includes('list')) await benchVmList(ctx);
  if (parts.includes('storage')) await benchMetricsStorage(ctx);
  if (parts.includes('domains')) await benchDomains(ctx);
  if (parts.includes('burst')) await benchBurst(ctx);
}

/** p99 of `vms(first: 50)` and of the last page over 5,000 VM rows, and the plan of the page query. */
async function benchVmList(ctx: BenchContext): Promise<void> {
  const h = await ctx.hangar();
  if (h.database.kind !== 'postgres') return ctx.note('fleet: the VM list needs Postgres; skipped');
  const db = openDatabase({ url: h.database.env.DATABASE_URL, dataDir: 'memory://' });
  try {
    const owner = await db.selectFrom('users').select('id').where('email', '=', h.admin.email).executeTakeFirstOrThrow();
    const already = Number((await db.selectFrom('vms').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const start = Date.now() - LIST_ROWS * 1000;
    for (let i = already; i < LIST_ROWS; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, LIST_ROWS - i) }, (_, k) => ({ name: `fleet-${i + k}`, owner_id: owner.id, vcpus: 1, memory_mb: 512, disk_gb: 10, state: 'stopped', created_at: new Date(start + (i + k) * 1000) }));
      await db.insertInto('vms').values(rows).execute();
    }
    // Deleted ones besides, as a real table has (500, spread over the same times).
    if (already === 0) {
      const rows = Array.from({ length: 500 }, (_, k) => ({ name: `gone-${k}`, owner_id: owner.id, vcpus: 1, memory_mb: 512, disk_gb: 10, state: 'deleted', deleted_at: new Date(), created_at: new Date(start + k * 10_000 + 500) }));
      await db.insertInto('vms').values(rows).execute();
    }
    await sql`analyze vms`.execute(db);

    const page = `query($after: String) { vms(first: 50, after: $after) { edges { node { id name state vcpus memoryMb } } pageInfo { endCursor hasNextPage } } }`;
    // The cursor before the last page, found by walking every page once.
    let cursor: string | null = null;
    let beforeLast: string | null = null;
    let pages = 0;
    for (;;) {
      const reply = await gql(h.url, page, { after: cursor }, h.cookie);
      const connection = reply.body.data?.vms;
      if (!connection) throw new Error(`vms failed: ${reply.text}`);
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      beforeLast = cursor = connection.pageInfo.endCursor;
    }
    // beforeLast is the cursor the last page starts after (the end of the page before it).
    const timed = async (after: string | null) => {
      const times: number[] = [];
      for (let i = 0; i < LIST_ROUNDS + 20; i++) {
        const started = performance.now();
        const reply = await gql(h.url, page, { after }, h.cookie);
        if (!reply.body.data?.vms?.edges?.length) throw new Error(`vms page empty: ${reply.text}`);
        if (i >= 20) times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    const first = await timed(null);
    const last = await timed(beforeLast);
    ctx.note(`fleet: vms over ${LIST_ROWS} rows (${pages} pages of 50): first page p50 ${percentile(first, 50).toFixed(2)} ms p99 ${percentile(first, 99).toFixed(2)} ms; last page p50 ${percentile(last, 50).toFixed(2)} ms p99 ${percentile(last, 99).toFixed(2)} ms`);

    // The page query as the service runs it (services/keyset.ts), after the row that ends the page before the last.
    const total = Number((await db.selectFrom('vms').select(db.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n);
    const mark = await sql<{ created_at: Date; id: string }>`select created_at, id from vms where deleted_at is null order by created_at, id offset ${Math.max(0, (pages - 1) * 50 - 1)} limit 1`.execute(db);
    const { created_at: createdAt, id } = mark.rows[0];
    const explained = await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off, timing off, summary off)
      select *, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as keyset_0, id::text as keyset_1
      from vms where deleted_at is null
        and (created_at >= ${createdAt}::timestamptz and ((created_at > ${createdAt}::timestamptz) or (created_at = ${createdAt}::timestamptz and id > ${id}::uuid)))
      order by created_at asc, id asc limit 51`.execute(db);
    ctx.note(`fleet: ${total} VMs listed; the plan of the last page's query:`);
    const plan = explained.rows.map((r) => r['QUERY PLAN']);
    for (const line of plan) ctx.note(`fleet: plan | ${line}`);
    const firstPlan = (await sql<{ 'QUERY PLAN': string }>`explain (analyze, costs off, timing off, summary off) select * from vms where deleted_at is null order by created_at asc, id asc limit 51`.execute(db)).rows.map((r) => r['QUERY PLAN']);
    for (const line of firstPlan) ctx.note(`fleet: first page plan | ${line}`);
    // The index bounds the rows read to about a page from the cursor (a sort, if any, is of those rows only).
    const indexRows = (lines: string[]) => Math.max(0, ...lines.filter((l) => /Index (Only )?Scan (using|on) vms_list_idx/.test(l)).map((l) => Number(/actual rows=(\d+)/.exec(l)?.[1] ?? Infinity)));
    const bounded = [plan, firstPlan].every((lines) => lines.some((l) => /vms_list_idx/.test(l)) && indexRows(lines) <= 120);
    ctx.note(bounded ? 'fleet: first and last page read about one page of vms_list_idx each (keyset: no offset, no scan of the table)' : 'fleet: A PAGE QUERY DOES NOT WALK vms_list_idx');
    ctx.figure('vms_list_p99_ms', Math.max(percentile(first, 99), percentile(last, 99)), 'ms');
    ctx.figure('vms_list_first_p99_ms', percentile(first, 99), 'ms');
    ctx.figure('vms_list_last_page_p99_ms', percentile(last, 99), 'ms');
  } finally {
    await db.destroy();
  }
}

/** Bytes one VM's metrics take per day: a simulated day of samples at the default interval, rolled up. */
async function benchMetricsStorage(ctx: BenchContext): Promise<void> {
  const database = await benchDatabase();
  if (database.kind !== 'postgres') return ctx.note('fleet: metrics storage needs Postgres; skipped');
  const config = loadConfig({ ...database.env, LOG_LEVEL: 'warn' });
  const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(db);
    const host = await db.insertInto('hosts').values({ name: 'bench', uri: 'test:///bench', settings: {}, capabilities: {} }).returning('id').executeTakeFirstOrThrow();
    const owner = await db.insertInto('users').values({ email: 'bench@example.com', name: 'bench', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
    const vms = await db
      .insertInto('vms')
      .values(Array.from({ length: STORAGE_VMS }, (_, i) => ({ name: `vm-${i}`, owner_id: owner.id, host_id: host.id, vcpus: 2, memory_mb: 2048, disk_gb: 20, state: 'running' })))
      .returning('id')
      .execute();
    const sizes = async () => {
      await sql`vacuum analyze vm_metric_samples`.execute(db);
      await sql`vacuum analyze vm_metric_rollups`.execute(db);
      await sql`vacuum analyze vm_metric_counters`.execute(db);
      const row = await sql<{ samples: string; rollups: string; counters: string }>`select pg_total_relation_size('vm_metric_samples') as samples, pg_total_relation_size('vm_metric_rollups') as rollups, pg_total_relation_size('vm_metric_counters') as counters`.execute(db);
      const r = row.rows[0];
      return { samples: Number(r.samples), rollups: Number(r.rollups), counters: Number(r.counters) };
    };
    const empty = await sizes();

    const interval = config.metrics.intervalMs;
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const dayStart = now - 86_400_000;
    const perVm = 86_400_000 / interval;
    // Realistic figures (not constants, which would compress better than real ones): noise around a level.
    const columns = VM_FIELDS.map((f) => sql.ref(columnOf(f)));
    const BATCH = 720;
    for (let t0 = 0; t0 < perVm; t0 += BATCH) {
      const ats: Date[] = [];
      const ids: string[] = [];
      const values: number[][] = VM_FIELDS.map(() => []);
      for (let t = t0; t < Math.min(perVm, t0 + BATCH); t++) {
        for (const vm of vms) {
          ats.push(new Date(dayStart + t * interval));
          ids.push(vm.id);
          VM_FIELDS.forEach((_, k) => values[k].push(Math.round(Math.random() * 1e6) / (k === 0 ? 1e4 : 1)));
        }
      }
      await sql`insert into vm_metric_samples (vm_id, at, ${sql.join(columns)})
        select * from unnest(${ids}::uuid[], ${ats}::timestamptz[], ${sql.join(values.map((v) => sql`${v}::float8[]`))})`.execute(db);
    }
    await db
      .insertInto('vm_metric_counters')
      .values(vms.map((vm) => ({ vm_id: vm.id, at: new Date(now), cpu_seconds: 1234.5, disk_read_bytes: 1e9, disk_write_bytes: 2e9, disk_read_ops: 1e5, disk_write_ops: 2e5, net_rx_bytes: 3e9, net_tx_bytes: 4e9, net_rx_packets: 3e6, net_tx_packets: 4e6 })))
      .execute();
    const started = performance.now();
    await rollUpAndPrune(db, config, now);
    const rollupMs = performance.now() - started;
    const counts = await sql<{ resolution: number; n: string }>`select resolution, count(*) as n from vm_metric_rollups group by resolution order by resolution`.execute(db);
    const full = await sizes();
    const raw = (full.samples - empty.samples) / STORAGE_VMS;
    const rollups = (full.rollups - empty.rollups) / STORAGE_VMS;
    const counters = (full.counters - empty.counters) / STORAGE_VMS;
    const minuteRows = Number(counts.rows.find((r) => Number(r.resolution) === 60)?.n ?? 0);
    const hourRows = Number(counts.rows.find((r) => Number(r.resolution) === 3600)?.n ?? 0);
    const perRollupRow = rollups / Math.max(1, (minuteRows + hourRows) / STORAGE_VMS);
    const steady = raw * (config.metrics.rawRetentionMs / 86_400_000) + perRollupRow * (minuteRows / STORAGE_VMS) * (config.metrics.minuteRetentionMs / 86_400_000) + perRollupRow * (hourRows / STORAGE_VMS) * (config.metrics.hourRetentionMs / 86_400_000) + counters;
    ctx.note(`fleet: one simulated day at ${interval / 1000} s for ${STORAGE_VMS} VMs: ${perVm} samples per VM; rollup job ${rollupMs.toFixed(0)} ms; rollup rows ${counts.rows.map((r) => `${r.resolution}s: ${r.n}`).join(', ')}`);
    ctx.note(`fleet: per VM-day: raw ${(raw / 1024).toFixed(0)} KiB, rollups ${(rollups / 1024).toFixed(0)} KiB, counters ${(counters / 1024).toFixed(1)} KiB (one row, overwritten); steady state at the default retention (raw ${config.metrics.rawRetentionMs / 3_600_000} h, minutes ${config.metrics.minuteRetentionMs / 86_400_000} d, hours ${config.metrics.hourRetentionMs / 86_400_000} d): ${(steady / 1024 ** 2).toFixed(1)} MiB per VM`);
    ctx.figure('metrics_bytes_per_vm_day', raw + rollups + counters, 'bytes');
    ctx.figure('metrics_steady_mib_per_vm', steady / 1024 ** 2, 'MiB');
  } finally {
    await db.destroy();
    await database.drop();
  }
}

/** Creates `count` tiny guests through Hangar, at most `lanes` requests in flight; returns their VM ids (raw). */
async function createTinyVms(h: LibvirtHangar, count: number, lanes: number, iso: string, note: (m: string) => void): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  let failed: Error | null = null;
  const lane = async () => {
    while (next < count && !failed) {
      const i = next++;
      try {
        const payload = payloadOf(await h.call(CREATE, { i: { name: `fleet-${i}`, vcpus: 1, memoryMb: 64, diskGb: 1, isoPath: iso } }));
        ids.push(rawIdOf(payload.vm.id));
        const task = await h.taskDone(payload.task.id, 600_000, 200);
        if (task.status !== 'SUCCEEDED') throw new Error(`create ${i}: ${task.status} ${task.error}`);
        if ((i + 1) % 50 === 0) note(`fleet: ${i + 1} tiny VMs created`);
      } catch (error) {
        failed = error as Error;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failed) throw failed;
  return ids;
}

async function removeDomains(ids: Iterable<string>): Promise<void> {
  for (const id of ids) {
    await virsh('destroy', id).catch(() => {});
    await virsh('undefine', id, '--nvram').catch(() => {});
  }
  await virsh('pool-refresh', 'hangar-disks').catch(() => {});
  const volumes = (await virsh('vol-list', '--pool', 'hangar-disks').catch(() => '')).split('\n').map((l) => l.trim().split(/\s+/)[0]);
  const wanted = new Set(ids);
  for (const name of volumes) if (name && wanted.has(name.slice(0, 36))) await virsh('vol-delete', '--pool', 'hangar-disks', name).catch(() => {});
}

/**
 * Lets placement take `domains` 1-vCPU guests on this small machine: the CPU count libvirt reported
 * is raised in the database (overcommit is capped at 64×); capabilities are re-read only every 30
 * reconciles, and the bench's reconcile interval is long.
 */
async function roomFor(db: Db, hostId: string, domains: number): Promise<void> {
  const cpus = Math.ceil(domains / 32) + 1;
  await sql`update hosts set capabilities = jsonb_set(capabilities, '{cpus}', to_jsonb(greatest(coalesce((capabilities->>'cpus')::int, 1), ${cpus}::int))), settings = settings || '{"cpuOvercommit": 64}'::jsonb where id = ${hostId}`.execute(db);
}

/** 200 running tiny guests on the real libvirtd: one reconcile pass, and the collector reading them. */
async function benchDomains(ctx: BenchContext): Promise<void> {
  const domains = Math.round(Number(process.env.BENCH_FLEET_DOMAINS ?? 200));
  const h = await startLibvirtHangar({ HANGAR_RECONCILE_SECONDS: '3600', HANGAR_METRICS_INTERVAL_SECONDS: '5' });
  const made: string[] = [];
  try {
    const host = await h.hangar.db.selectFrom('hosts').selectAll().where('name', '=', 'local').executeTakeFirstOrThrow();
    await roomFor(h.hangar.db, host.id, domains);
    const iso = await makeIdleIso('/var/lib/libvirt/images/hangar-test');
    const started = performance.now();
    made.push(...(await createTinyVms(h, domains, 8, iso, ctx.note)));
    ctx.note(`fleet: ${domains} tiny guests (64 MiB, halting boot sector) created through Hangar in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const running = (await virsh('list', '--name', '--state-running')).split('\n').filter((n) => made.includes(n.replace(/^hangar-/, '').trim())).length;
    if (running !== domains) throw new Error(`${running} of ${domains} domains run`);

    const log = createLogger('warn');
    const monitor = new HostMonitor(host, { db: h.hangar.db, pubsub: h.hangar.bus.pubsub, log, intervalMs: 3_600_000 });
    await monitor.reconcile(); // the first pass also reads the capabilities: not timed
    await roomFor(h.hangar.db, host.id, domains);
    const passes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await monitor.reconcile();
      passes.push(performance.now() - t);
    }
    ctx.note(`fleet: reconcile passes over ${domains} running domains: ${passes.map((p) => p.toFixed(0)).join(', ')} ms`);
    ctx.figure(domains === 200 ? 'reconcile_ms_per_200' : `reconcile_ms_per_${domains}`, median(passes), 'ms');

    // The collector's own CPU reading those real domains through its virsh shell (libvirtd's is not in this process).
    const hostRow = await h.hangar.db.selectFrom('hosts').selectAll().where('id', '=', host.id).executeTakeFirstOrThrow();
    const config = loadConfig({ HANGAR_METRICS_INTERVAL_SECONDS: '5', LOG_LEVEL: 'warn' });
    const sampler = new HostSampler(hostRow, { db: h.hangar.db, pubsub: h.hangar.bus.pubsub, config, log }, (target, reading, timeoutMs) => readWithVirsh(target.uri, reading, timeoutMs));
    const rounds = 12;
    let cpuMicros = 0;
    let wallMs = 0;
    let measuredFrom = new Date();
    for (let round = 0; round < rounds + 3; round++) {
      const cpu = process.cpuUsage();
      const t = performance.now();
      await sampler.sample();
      await sleep(50); // the slow reading started inside sample() comes back in this round
      const used = process.cpuUsage(cpu);
      if (round === 2) measuredFrom = new Date();
      if (round >= 3) {
        cpuMicros += used.user + used.system;
        wallMs += performance.now() - t - 50;
      }
    }
    // Samples stored in the measured rounds: a round whose reading timed out (a saturated machine) stores none.
    const stored = Number((await h.hangar.db.selectFrom('vm_metric_samples').select(h.hangar.db.fn.countAll<number>().as('n')).where('at', '>=', measuredFrom).executeTakeFirstOrThrow()).n);
    if (stored === 0) throw new Error(`the collector stored no sample of ${domains} domains in ${rounds} rounds`);
    ctx.note(`fleet: collector on ${domains} real domains: ${stored} VM-samples stored in ${rounds} rounds (${rounds - Math.round(stored / domains)} rounds timed out); ${(cpuMicros / 1000 / rounds).toFixed(1)} ms CPU and ${(wallMs / rounds).toFixed(0)} ms wall per round`);
    ctx.figure('collector_real_cpu_ms_per_vm_sample', cpuMicros / 1000 / stored, 'ms');
  } finally {
    await removeDomains(made);
    await h.stop().catch((error: Error) => ctx.note(`fleet: Hangar stop failed: ${error.message}`));
  }
}

/** Polls until every domain named runs; returns ms since `since`. */
async function allRunning(probe: DomainStateProbe, domains: () => string[], count: number, since: number, timeoutMs: number): Promise<number> {
  const done = new Set<string>();
  for (;;) {
    for (const d of domains()) if (!done.has(d) && (await probe.state(d)) === 'running') done.add(d);
    if (done.size === count) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`${done.size} of ${count} domains running after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** 20 deploys from one image at once vs the same steps by hand in as many lanes as the host runs at once. */
async function benchBurst(ctx: BenchContext): Promise<void> {
  const count = Math.round(Number(process.env.BENCH_BURST_VMS ?? 20));
  const { stdout } = await run('bash', [join(root, 'scripts', 'build-test-image')], { maxBuffer: 1 << 20 });
  const imagePath = stdout.trim();
  // A deploy holds one of its host's slots until its guest agent answers (minutes for a booting guest
  // under TCG): 20 at once need a concurrency of 20, or the burst runs in waves. The agent wait is cut
  // to its minimum: only the time until every domain runs is measured.
  const lanes = count;
  const h = await startLibvirtHangar({ HANGAR_RECONCILE_SECONDS: '3600', HANGAR_HOST_CONCURRENCY: String(lanes), HANGAR_GUEST_AGENT_TIMEOUT_SECONDS: '5' });
  const probe = new DomainStateProbe();
  const shells: OperatorShell[] = [];
  const size = { vcpus: 1, memoryMb: 128, diskGb: 4 };
  const guest = { hostname: 'burst', username: 'bench', password: 'bench-password-1', timezone: 'UTC' };
  const hangarVms: string[] = [];
  const manualIds: string[] = [];
  const workDir = `/var/lib/libvirt/images/hangar-burst-${process.pid}`;
  try {
    const host = await h.hangar.db.selectFrom('hosts').selectAll().where('name', '=', 'local').executeTakeFirstOrThrow();
    await roomFor(h.hangar.db, host.id, count + 1);
    const imageId = await uploadImage(h, imagePath);
    // Unmeasured: the image's first deploy caches it on the host (as in the deploy benchmark).
    const warm = payloadOf(await h.call(CREATE, { i: { name: 'burst-warm', ...size, imageId, guest } }));
    hangarVms.push(rawIdOf(warm.vm.id));
    const warmTask = await h.taskDone(warm.task.id, 600_000, 200);
    ctx.note(`fleet: warm deploy (caches the image) ${warmTask.status}${warmTask.error ? `: ${warmTask.error}` : ''}`);
    await removeDomains(hangarVms.splice(0));
    // This image's copy (named by its content), not another one the shared pool holds.
    const image = await h.hangar.db.selectFrom('images').select(['sha256', 'format']).where('id', '=', rawIdOf(imageId)).executeTakeFirstOrThrow();
    const name = cachedImageName(image);
    const cached = (await virsh('vol-list', '--pool', 'hangar-images')).split('\n').map((l) => l.trim().split(/\s+/)).find(([volume]) => volume === name)?.[1];
    if (!cached) throw new Error(`no cached image ${name} in pool hangar-images`);
    const before = await stat(cached);

    // Hangar: all at once.
    const sent = performance.now();
    const requests = Array.from({ length: count }, (_, i) =>
      h.call(CREATE, { i: { name: `burst-${i}`, ...size, imageId, guest } }).then((reply) => {
        const payload = payloadOf(reply);
        hangarVms.push(rawIdOf(payload.vm.id));
        return payload.task.id as string;
      }),
    );
    const hangarMs = await allRunning(probe, () => hangarVms.map((id) => `hangar-${id}`), count, sent, 600_000);
    await Promise.all(requests);
    const after = await stat(cached);
    const copiedAgain = after.mtimeMs !== before.mtimeMs || after.ino !== before.ino;
    ctx.note(`fleet: burst of ${count} deploys through Hangar: all running after ${hangarMs.toFixed(0)} ms; the cached image ${copiedAgain ? 'WAS WRITTEN AGAIN' : 'was used as it was (one copy for all, no upload)'}`);
    await removeDomains(hangarVms.splice(0));

    // By hand: the same steps, `lanes` VMs at a time, each lane one bash like an operator's (shells started before the clock).
    await mkdir(workDir, { recursive: true });
    const docsFor = (id: string) => cloudInitDocuments({ instanceId: id, hostname: guest.hostname, user: guest.username, passwordHash: hashPassword(guest.password), sshKeys: [], timezone: guest.timezone, firstBootScript: null, network: null });
    for (let i = 0; i < lanes; i++) shells.push(new OperatorShell());
    const started = performance.now();
    let next = 0;
    let lanesTaken = 0;
    const lane = async () => {
      const operator = shells[lanesTaken++];
      while (next < count) {
        next++;
        const id = crypto.randomUUID();
        manualIds.push(id);
        const dir = join(workDir, id);
        await mkdir(dir, { recursive: true });
        const docs = docsFor(id);
        await Promise.all([writeFile(join(dir, 'user-data'), docs.userData), writeFile(join(dir, 'meta-data'), docs.metaData)]);
        const disk = join(workDir, `${id}.qcow2`);
        const seed = join(workDir, `${id}-seed.iso`);
        await operator.run('qemu-img', 'create', '-f', 'qcow2', '-F', 'qcow2', '-b', cached, disk, String(size.diskGb * GiB));
        await operator.run('genisoimage', '-quiet', '-output', seed, '-volid', 'cidata', '-joliet', '-rock', join(dir, 'user-data'), join(dir, 'meta-data'));
        const xml = join(dir, 'domain.xml');
        await writeFile(xml, domainXml({ id, title: 'manual', description: '', domainType: 'qemu', vcpus: size.vcpus, memoryMb: size.memoryMb, disks: [{ path: disk, format: 'qcow2' }], seedPath: seed, vncListen: '127.0.0.1', guestAgent: true }));
        await operator.run('virsh', '-c', LIBVIRT_URI, 'define', xml);
        await operator.run('virsh', '-c', LIBVIRT_URI, 'start', `hangar-${id}`);
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    const manualMs = await allRunning(probe, () => manualIds.map((id) => `hangar-${id}`), count, started, 600_000);
    ctx.note(`fleet: the same ${count} by hand in ${lanes} lanes (the host's concurrency): all running after ${manualMs.toFixed(0)} ms`);
    ctx.figure('burst_deploy_ms', hangarMs, 'ms');
    ctx.figure('burst_manual_ms', manualMs, 'ms');
    ctx.figure('burst_deploy_vs_manual_ratio', hangarMs / manualMs, 'ratio');
    ctx.note(hangarMs / manualMs <= BURST_TARGET ? `fleet: burst target met (<= ${BURST_TARGET})` : `fleet: burst TARGET MISSED (${(hangarMs / manualMs).toFixed(3)} > ${BURST_TARGET})`);
  } finally {
    await removeDomains([...hangarVms, ...manualIds]);
    for (const shell of shells) shell.close();
    probe.close();
    await rm(workDir, { recursive: true, force: true });
    await h.stop().catch((error: Error) => ctx.note(`fleet: Hangar stop failed: ${error.message}`));
  }
}
