import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, QuotaRow } from '../../db/types.ts';
import { NotFoundError, QuotaExceededError } from '../errors.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { publishUserListed } from './user-events.ts';
import { assertMayActOnUser } from './user-authority.ts';
import { parseInput, quotaLimitSchema } from './validation.ts';
import { totalDiskGb } from './vm-disk-rows.ts';

// A null limit means unlimited.
export const quotaSchema = z.object({
  maxVcpus: quotaLimitSchema,
  maxMemoryMb: quotaLimitSchema,
  maxDiskGb: quotaLimitSchema,
  maxVms: quotaLimitSchema,
  maxSnapshotsPerVm: quotaLimitSchema.optional(),
});
export type QuotaInput = z.input<typeof quotaSchema>;

export async function quotasOfUsers(db: Db, userIds: readonly string[]): Promise<(QuotaRow | null)[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('quotas').selectAll().where('user_id', 'in', userIds).execute();
  return userIds.map((id) => rows.find((r) => r.user_id === id) ?? null);
}

/** What counts against a quota: the user's VMs not deleted, and their vCPUs, memory and disk. */
export interface QuotaUsage {
  vms: number;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

export async function quotaUsageOfUsers(db: Db, userIds: readonly string[]): Promise<QuotaUsage[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('vms')
    .select(['owner_id', sql<number>`count(*)::int`.as('vms'), sql<number>`coalesce(sum(vcpus), 0)::int`.as('vcpus'), sql<number>`coalesce(sum(memory_mb), 0)::int`.as('memoryMb'), sql<number>`coalesce(sum(${totalDiskGb}), 0)::int`.as('diskGb')])
    .where('owner_id', 'in', userIds)
    .where('deleted_at', 'is', null)
    .groupBy('owner_id')
    .execute();
  return userIds.map((id) => {
    const row = rows.find((r) => r.owner_id === id);
    return { vms: row?.vms ?? 0, vcpus: row?.vcpus ?? 0, memoryMb: row?.memoryMb ?? 0, diskGb: row?.diskGb ?? 0 };
  });
}

/** User lists show quotas: they hear of the change; no session changes. */
export async function setQuota(ctx: ServiceContext, userId: string, raw: QuotaInput): Promise<QuotaRow> {
  const actor = actorOf(ctx);
  const input = parseInput(quotaSchema, raw);
  const values = { max_vcpus: input.maxVcpus, max_memory_mb: input.maxMemoryMb, max_disk_gb: input.maxDiskGb, max_vms: input.maxVms, max_snapshots_per_vm: input.maxSnapshotsPerVm ?? null, updated_at: new Date() };
  const quota = await ctx.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) throw new NotFoundError('The user');
    await assertMayActOnUser(trx, actor, userId);
    return trx
      .insertInto('quotas')
      .values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  publishUserListed(ctx, userId);
  return quota;
}

/** Memory as a person writes it: "768 MiB", "4 GiB", "1.5 GiB". */
export function memoryText(mb: number): string {
  if (Math.abs(mb) < 1024) return `${mb} MiB`;
  const gib = mb / 1024;
  return Number.isInteger(gib) ? `${gib} GiB` : Number.isInteger(gib * 10) ? `${gib.toFixed(1)} GiB` : `${mb} MiB`;
}

/** One quota dimension: `says` is how the refusal words "needs N" ("vCPUs need 4", "memory needs 4 GiB"). */
type Dimension = { resource: string; limit: number | null; used: number; need: number; says: string; text: (n: number) => string };

/**
 * Whether the owner's VMs, with `need` added, stay within their quota (a VM more unless `addsVm` is false).
 * A refusal names every dimension that is over, with what is left, so one answer tells the whole story;
 * `whose` names the quota when it is not the caller's (a transfer's recipient).
 */
export async function checkQuota(trx: Transaction<Database>, ownerId: string, need: { vcpus: number; memoryMb: number; diskGb: number }, addsVm = true, whose = 'your quota'): Promise<void> {
  // Locking the owner's quota row serializes their concurrent creates: two cannot both take the last slot.
  const quota = await trx.selectFrom('quotas').selectAll().where('user_id', '=', ownerId).forUpdate().executeTakeFirst();
  if (!quota) return;
  const [used] = await quotaUsageOfUsers(trx, [ownerId]);
  const dimensions: Dimension[] = [
    { resource: 'vms', limit: quota.max_vms, used: used.vms, need: addsVm ? 1 : 0, says: 'VMs need', text: String },
    { resource: 'vcpus', limit: quota.max_vcpus, used: used.vcpus, need: need.vcpus, says: 'vCPUs need', text: String },
    { resource: 'memory', limit: quota.max_memory_mb, used: used.memoryMb, need: need.memoryMb, says: 'memory needs', text: memoryText },
    { resource: 'disk', limit: quota.max_disk_gb, used: used.diskGb, need: need.diskGb, says: 'disk needs', text: (n) => `${n} GiB` },
  ];
  // Only what this change adds can be over: a resize that grows the disk is not refused for memory an admin's lower quota already exceeds.
  const over = dimensions.filter((d) => d.limit !== null && d.need > 0 && d.used + d.need > d.limit);
  if (!over.length) return;
  const parts = over.map((d) => {
    if (d.resource === 'vms') return `VMs: ${d.used} of ${d.limit} in use`;
    const left = Math.max(0, d.limit! - d.used);
    return `${d.says} ${d.text(d.need)}, ${left > 0 ? `${d.text(left)} left` : 'none left'}`;
  });
  throw new QuotaExceededError(over[0].resource, `Over ${whose}: ${parts.join('; ')}`);
}

/**
 * Whether the VM may take one snapshot more under its owner's quota. The caller holds the VM's row
 * locked, and the owner's quota row is locked here as checkQuota does: two requests cannot both
 * take the last snapshot.
 */
export async function checkSnapshotQuota(trx: Transaction<Database>, ownerId: string, vmId: string): Promise<void> {
  const quota = await trx.selectFrom('quotas').select('max_snapshots_per_vm').where('user_id', '=', ownerId).forUpdate().executeTakeFirst();
  const limit = quota?.max_snapshots_per_vm ?? null;
  if (limit === null) return;
  const { count } = await trx.selectFrom('vm_snapshots').select(sql<number>`count(*)::int`.as('count')).where('vm_id', '=', vmId).executeTakeFirstOrThrow();
  if (count + 1 > limit) throw new QuotaExceededError('snapshots', `Over your quota: snapshots of this VM: ${count} of ${limit} in use; delete one first`);
}
