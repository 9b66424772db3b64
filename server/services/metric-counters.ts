import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { VmMetricCountersTable } from '../../db/types.ts';

/** The counter columns of vm_metric_counters, in the order the collector's CounterTotals list them. */
export const COUNTER_COLUMNS = [
  'cpu_seconds',
  'disk_read_bytes',
  'disk_write_bytes',
  'disk_read_ops',
  'disk_write_ops',
  'net_rx_bytes',
  'net_tx_bytes',
  'net_rx_packets',
  'net_tx_packets',
] as const satisfies readonly Exclude<keyof VmMetricCountersTable, 'vm_id' | 'at'>[];
export type CounterColumn = (typeof COUNTER_COLUMNS)[number];

const DISK_COLUMNS = new Set<CounterColumn>(['disk_read_bytes', 'disk_write_bytes', 'disk_read_ops', 'disk_write_ops']);

export interface VmCounterRow {
  vmId: string;
  /** Values by column; null where the reading had none. */
  values: Record<CounterColumn, number | null>;
}

/**
 * Overwrites each VM's newest totals, one statement for a whole host (arrays through unnest).
 * Disk totals come only every few intervals (slow readings): a reading without them keeps the
 * stored ones, unless the CPU total went backwards (the VM restarted, so the old ones are void).
 */
export async function storeCounters(db: Db, at: number, rows: readonly VmCounterRow[]): Promise<void> {
  if (rows.length === 0) return;
  const names = COUNTER_COLUMNS.map((_, i) => sql.ref(`c${i}`));
  // Array literals written here: node-postgres' generic array encoding costs several times more CPU
  // (this runs for every VM of every host each interval). Numbers and uuids need no quoting.
  const arrays = COUNTER_COLUMNS.map((column) => sql`${arrayLiteral(rows.map((r) => r.values[column]))}::float8[]`);
  const restarted = sql`excluded.cpu_seconds < vm_metric_counters.cpu_seconds`;
  const updates = COUNTER_COLUMNS.map((column) => {
    const ref = sql.ref(column);
    if (!DISK_COLUMNS.has(column)) return sql`${ref} = excluded.${ref}`;
    return sql`${ref} = case when ${restarted} then excluded.${ref} else coalesce(excluded.${ref}, vm_metric_counters.${ref}) end`;
  });
  await sql`insert into vm_metric_counters (vm_id, at, ${sql.join(COUNTER_COLUMNS.map((c) => sql.ref(c)))})
    select vm_id, ${new Date(at)}, ${sql.join(names)}
    from unnest(${arrayLiteral(rows.map((r) => r.vmId))}::uuid[], ${sql.join(arrays)}) as t(vm_id, ${sql.join(names)})
    where exists (select 1 from vms where vms.id = t.vm_id)
    on conflict (vm_id) do update set at = excluded.at, ${sql.join(updates)}`.execute(db);
}

/** `{1,2.5,NULL}`: a Postgres array literal of finite numbers (others become NULL) or uuids. */
function arrayLiteral(values: readonly (number | string | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) text += ',';
    text += v === null || (typeof v === 'number' && !Number.isFinite(v)) ? 'NULL' : String(v);
  }
  return `${text}}`;
}
