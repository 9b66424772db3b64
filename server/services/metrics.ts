import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { columnOf, HOST_FIELDS, VM_FIELDS, type HostSample, type VmSample } from '../events/samples.ts';
import type { Config } from '../config.ts';

// Metric history: raw samples, 1-minute and 1-hour rollups (average and maximum), pruning, and
// the series a chart plots.

type Kind = 'vm' | 'host';
const FIELDS = { vm: VM_FIELDS, host: HOST_FIELDS } as const;
const MINUTE = 60;
const HOUR = 3600;
/** A chart needs no more points than it has pixels: pick the finest resolution under this. */
const MAX_POINTS = 1500;
/** How far back each rollup run looks again for samples stored late (at least; 4 intervals if longer). */
const REROLL_MS = 10 * MINUTE * 1000;
/** The live chart's range (an hour), with a minute to spare for the client's clock and the request's time. */
const LIVE_SPAN = HOUR + MINUTE;

/** One round of a host: its VMs' samples and its own, all at the host's time, in two statements. */
export async function storeSamples(db: Db, host: HostSample, vms: readonly VmSample[]): Promise<void> {
  const at = new Date(host.at);
  await db
    .insertInto('host_metric_samples')
    .values({ host_id: host.hostId, at, ...Object.fromEntries(HOST_FIELDS.map((f) => [columnOf(f), host[f]])) })
    .onConflict((oc) => oc.doNothing())
    .execute();
  if (vms.length === 0) return;
  // One array per column through unnest: a thousand VMs cost one small statement, not 13,000 parameters.
  const columns = VM_FIELDS.map((f) => sql.ref(columnOf(f)));
  const arrays = VM_FIELDS.map((f) => sql`${vms.map((s) => s[f])}::float8[]`);
  await sql`insert into vm_metric_samples (vm_id, at, ${sql.join(columns)})
    select vm_id, ${at}, ${sql.join(VM_FIELDS.map((_, i) => sql.ref(`c${i}`)))}
    from unnest(${vms.map((s) => s.vmId)}::uuid[], ${sql.join(arrays)}) as t(vm_id, ${sql.join(VM_FIELDS.map((_, i) => sql.ref(`c${i}`)))})
    on conflict do nothing`.execute(db);
}

/**
 * Rolls complete buckets up (raw → 1 minute → 1 hour) from where the last run stopped, then
 * prunes what is past its retention. Safe to run from several collectors: one at a time runs it
 * (an advisory lock), and a repeat only rewrites the same rows.
 */
export async function rollUpAndPrune(db: Db, config: Config, now = Date.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { locked } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext('hangar.metrics.rollup')) as locked`.execute(trx).then((r) => r.rows[0]);
    if (!locked) return;
    const { intervalMs, rawRetentionMs, minuteRetentionMs, hourRetentionMs } = config.metrics;
    // A bucket is complete once the samples of its last interval have had time to arrive.
    const minuteEnd = floorTo(now - 2 * intervalMs, MINUTE);
    const hourEnd = floorTo(minuteEnd, HOUR);
    // Samples stored late (a collector whose clock is behind this one's, a slow store) still count:
    // each run rolls the last stretch again.
    const againFrom = minuteEnd - Math.max(REROLL_MS, 4 * intervalMs);
    // Hours the raw samples still cover are averaged from them: a minute's average weighs every row
    // of the minute, so a figure missing from some rows (a VM's first reading after a start) would
    // count too much in the hour.
    const rawFrom = ceilTo(now - rawRetentionMs, HOUR);
    for (const kind of ['vm', 'host'] as const) {
      const t = trx as unknown as Db;
      const minutesFrom = await rollFrom(t, kind, MINUTE, againFrom, now - rawRetentionMs);
      await rollUp(t, kind, MINUTE, 'raw', minutesFrom, minuteEnd);
      await markDone(t, kind, MINUTE, minuteEnd);
      const hoursFrom = await rollFrom(t, kind, HOUR, floorTo(againFrom, HOUR), now - minuteRetentionMs);
      const split = Math.min(Math.max(rawFrom, hoursFrom), hourEnd);
      await rollUp(t, kind, HOUR, 'minutes', hoursFrom, split);
      await rollUp(t, kind, HOUR, 'raw', split, hourEnd);
      await markDone(t, kind, HOUR, hourEnd);
    }
    for (const kind of ['vm', 'host'] as const) {
      await sql`delete from ${sql.table(`${kind}_metric_samples`)} where at < ${new Date(now - rawRetentionMs)}`.execute(trx);
      await sql`delete from ${sql.table(`${kind}_metric_rollups`)} where resolution = ${MINUTE} and at < ${new Date(now - minuteRetentionMs)}`.execute(trx);
      await sql`delete from ${sql.table(`${kind}_metric_rollups`)} where resolution = ${HOUR} and at < ${new Date(now - hourRetentionMs)}`.execute(trx);
    }
  });
}

/** Where a run starts: where the last one stopped or `againFrom`, whichever is earlier, but not before what is still kept whole. */
async function rollFrom(db: Db, kind: Kind, resolution: number, againFrom: number, oldestKept: number): Promise<number> {
  const mark = await db.selectFrom('metric_rollup_marks').select('done_until').where('resolution', '=', markKey(kind, resolution)).executeTakeFirst();
  return Math.max(Math.min(mark ? mark.done_until.getTime() : 0, againFrom), ceilTo(oldestKept, resolution));
}

async function markDone(db: Db, kind: Kind, resolution: number, end: number): Promise<void> {
  await db
    .insertInto('metric_rollup_marks')
    .values({ resolution: markKey(kind, resolution), done_until: new Date(end) })
    .onConflict((oc) => oc.column('resolution').doUpdateSet({ done_until: sql<Date>`greatest(metric_rollup_marks.done_until, excluded.done_until)` }))
    .execute();
}

const markKey = (kind: Kind, resolution: number) => (kind === 'vm' ? resolution : -resolution);

/** Buckets of `resolution` seconds in [start, end), from raw samples or from the 1-minute rollups. */
async function rollUp(db: Db, kind: Kind, resolution: number, from: 'raw' | 'minutes', start: number, end: number): Promise<void> {
  if (start >= end) return;
  const owner = sql.ref(`${kind}_id`);
  const fromRaw = from === 'raw';
  const figures = fromRaw
    ? rawAggregates(kind)
    : FIELDS[kind].flatMap((field) => {
        const column = columnOf(field);
        return [sql`sum(${sql.ref(`${column}_avg`)} * samples) / nullif(sum(samples) filter (where ${sql.ref(`${column}_avg`)} is not null), 0)`, sql`max(${sql.ref(`${column}_max`)})`];
      });
  const columns = FIELDS[kind].flatMap((f) => [sql.ref(`${columnOf(f)}_avg`), sql.ref(`${columnOf(f)}_max`)]);
  const source = sql.table(fromRaw ? `${kind}_metric_samples` : `${kind}_metric_rollups`);
  const filter = fromRaw ? sql`` : sql`and resolution = ${MINUTE}`;
  await sql`insert into ${sql.table(`${kind}_metric_rollups`)} (${owner}, resolution, at, samples, ${sql.join(columns)})
    select ${owner}, ${resolution}::int, ${bucketOf(resolution)}, ${fromRaw ? sql`count(*)` : sql`sum(samples)`}::int, ${sql.join(figures)}
    from ${source}
    where at >= ${new Date(start)} and at < ${new Date(end)} ${filter}
    group by 1, 3
    on conflict (${owner}, resolution, at) do update set samples = excluded.samples, ${sql.join(columns.map((_, i) => sql.raw(`${setColumn(kind, i)} = excluded.${setColumn(kind, i)}`)))}`.execute(db);
}

/** Each figure's average and maximum over raw samples, in rollup column order (`<column>_avg`, `<column>_max`). */
function rawAggregates(kind: Kind): RawBuilder<unknown>[] {
  return FIELDS[kind].flatMap((field) => [sql`avg(${sql.ref(columnOf(field))})`, sql`max(${sql.ref(columnOf(field))})`]);
}

/** The start of the `resolution`-second bucket a sample's `at` falls in (UTC-aligned). */
function bucketOf(resolution: number): RawBuilder<Date> {
  return sql<Date>`date_bin(${`${resolution} seconds`}::interval, at, timestamptz '2000-01-01 00:00:00+00')`;
}

function setColumn(kind: Kind, index: number): string {
  const field = FIELDS[kind][Math.floor(index / 2)];
  return `${columnOf(field)}_${index % 2 === 0 ? 'avg' : 'max'}`;
}

function floorTo(ms: number, seconds: number): number {
  return Math.floor(ms / (seconds * 1000)) * seconds * 1000;
}

function ceilTo(ms: number, seconds: number): number {
  return Math.ceil(ms / (seconds * 1000)) * seconds * 1000;
}

export interface MetricSeries {
  name: string;
  avg: Array<number | null>;
  max: Array<number | null>;
}

export interface MetricHistory {
  resolutionSeconds: number;
  /** Seconds since the epoch, one per point. */
  times: number[];
  series: MetricSeries[];
}

/** The finest resolution that still holds `from` and gives at most MAX_POINTS points. */
export function resolutionFor(config: Config, from: number, to: number, now = Date.now()): number {
  const rawSeconds = config.metrics.intervalMs / 1000;
  const span = (to - from) / 1000;
  // The last hour is raw at any interval: its chart follows live samples, and history a minute
  // apart ahead of them read as a chart fed once a minute (at 2 s an hour is 1,800 samples).
  if (from >= now - config.metrics.rawRetentionMs && (span / rawSeconds <= MAX_POINTS || span <= LIVE_SPAN)) return 0;
  if (from >= now - config.metrics.minuteRetentionMs && span / MINUTE <= MAX_POINTS) return MINUTE;
  return HOUR;
}

/** A VM's or host's figures between two times, as columns ready to plot (resolution 0: raw samples). */
export async function metricHistory(db: Db, config: Config, kind: Kind, id: string, from: Date, to: Date): Promise<MetricHistory> {
  const fields = FIELDS[kind];
  const resolution = resolutionFor(config, from.getTime(), to.getTime());
  const owner = sql.ref(`${kind}_id`);
  const select: RawBuilder<unknown>[] = fields.flatMap((f) =>
    resolution === 0 ? [sql.ref(columnOf(f))] : [sql.ref(`${columnOf(f)}_avg`), sql.ref(`${columnOf(f)}_max`)],
  );
  const table = sql.table(resolution === 0 ? `${kind}_metric_samples` : `${kind}_metric_rollups`);
  const filter = resolution === 0 ? sql`` : sql`and resolution = ${resolution}`;
  const { rows } = await sql<Record<string, unknown>>`select extract(epoch from at)::float8 as t, ${sql.join(select)} from ${table}
    where ${owner} = ${id} and at >= ${from} and at <= ${to} ${filter} order by at`.execute(db);
  if (resolution > 0) {
    // Buckets not rolled up yet (the current one, the last settling ones) come from the raw samples,
    // so a chart of the last days reaches now instead of ending up to an hour early.
    const last = rows.at(-1);
    const tailFrom = last ? new Date((Number(last.t) + resolution) * 1000) : from;
    if (tailFrom <= to) {
      const names = fields.flatMap((f) => [`${columnOf(f)}_avg`, `${columnOf(f)}_max`]);
      const figures = rawAggregates(kind).map((aggregate, i) => sql`${aggregate} as ${sql.ref(names[i])}`);
      const tail = await sql<Record<string, unknown>>`select extract(epoch from ${bucketOf(resolution)})::float8 as t, ${sql.join(figures)}
        from ${sql.table(`${kind}_metric_samples`)} where ${owner} = ${id} and at >= ${tailFrom} and at <= ${to} group by 1 order by 1`.execute(db);
      rows.push(...tail.rows);
    }
  }
  const times = rows.map((r) => Number(r.t));
  const series = fields.map((field) => {
    const column = columnOf(field);
    const avg = rows.map((r) => (resolution === 0 ? r[column] : r[`${column}_avg`]) as number | null);
    return { name: field, avg, max: resolution === 0 ? avg : rows.map((r) => r[`${column}_max`] as number | null) };
  });
  return { resolutionSeconds: resolution === 0 ? config.metrics.intervalMs / 1000 : resolution, times, series };
}

/**
 * Each VM's newest sample if it is recent (three intervals), for lists: one index probe per VM
 * through the samples' primary key, in one statement.
 */
export async function latestVmSamples(db: Db, config: Config, vmIds: readonly string[]): Promise<Array<VmSample | null>> {
  if (vmIds.length === 0) return [];
  const recent = new Date(Date.now() - 3 * config.metrics.intervalMs);
  const { rows } = await sql<Record<string, unknown> & { vm_id: string; at: Date }>`select s.* from unnest(${[...vmIds]}::uuid[]) as v(id)
    cross join lateral (select * from vm_metric_samples where vm_id = v.id and at > ${recent} order by at desc limit 1) s`.execute(db);
  const byId = new Map(rows.map((r) => [r.vm_id, r]));
  return vmIds.map((id) => {
    const row = byId.get(id);
    if (!row) return null;
    const sample = { vmId: id, hostId: '', at: new Date(row.at).getTime(), disks: [], nics: [] } as unknown as VmSample;
    for (const field of VM_FIELDS) (sample as unknown as Record<string, number | null>)[field] = row[columnOf(field)] as number | null;
    return sample;
  });
}
