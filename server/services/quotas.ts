import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, QuotaRow } from '../../db/types.ts';
import { NotFoundError, QuotaExceededError } from '../errors.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { publishUserListed } from './user-events.ts';
import { assertMayActOnUser } from './user-authority.ts';
import { parseInput, quotaLimitSchema } from './validation.ts';

// A null limit means unlimited.
export const quotaSchema = z.object({
  maxVcpus: quotaLimitSchema,
  maxMemoryMb: quotaLimitSchema,
  maxDiskGb: quotaLimitSchema,
  maxVms: quotaLimitSchema,
});
export type QuotaInput = z.input<typeof quotaSchema>;

export async function quotasOfUsers(db: Db, userIds: readonly string[]): Promise<(QuotaRow | null)[]> {
  if (userIds.length === 0) return [];
  const rows = await db.selectFrom('quotas').selectAll().where('user_id', 'in', userIds).execute();
  return userIds.map((id) => rows.find((r) => r.user_id === id) ?? null);
}

/** User lists show quotas: they hear of the change; no session changes. */
export async function setQuota(ctx: ServiceContext, userId: string, raw: QuotaInput): Promise<QuotaRow> {
  const actor = actorOf(ctx);
  const input = parseInput(quotaSchema, raw);
  const values = { max_vcpus: input.maxVcpus, max_memory_mb: input.maxMemoryMb, max_disk_gb: input.maxDiskGb, max_vms: input.maxVms, updated_at: new Date() };
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

/** Whether the owner's VMs, with `need` added, stay within their quota (a VM more unless `addsVm` is false). */
export async function checkQuota(trx: Transaction<Database>, ownerId: string, need: { vcpus: number; memoryMb: number; diskGb: number }, addsVm = true): Promise<void> {
  // Locking the owner's quota row serializes their concurrent creates: two cannot both take the last slot.
  const quota = await trx.selectFrom('quotas').selectAll().where('user_id', '=', ownerId).forUpdate().executeTakeFirst();
  if (!quota) return;
  const used = await trx
    .selectFrom('vms')
    .select([sql<number>`coalesce(sum(vcpus), 0)::int`.as('vcpus'), sql<number>`coalesce(sum(memory_mb), 0)::int`.as('memory'), sql<number>`coalesce(sum(disk_gb), 0)::int`.as('disk'), sql<number>`count(*)::int`.as('n')])
    .where('owner_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const limits: Array<[string, number | null, number, string]> = [
    ['vms', quota.max_vms, used.n + (addsVm ? 1 : 0), 'VMs'],
    ['vcpus', quota.max_vcpus, used.vcpus + need.vcpus, 'vCPUs'],
    ['memory', quota.max_memory_mb, used.memory + need.memoryMb, 'MiB of memory'],
    ['disk', quota.max_disk_gb, used.disk + need.diskGb, 'GiB of disk'],
  ];
  for (const [resource, limit, wanted, unit] of limits) {
    if (limit !== null && wanted > limit) throw new QuotaExceededError(resource, `Your quota allows ${limit} ${unit}; this VM would bring you to ${wanted}`);
  }
}
