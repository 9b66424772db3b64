import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { QuotaRow } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import type { Viewer } from './auth.ts';
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

export async function setQuota(db: Db, actor: Viewer, userId: string, raw: QuotaInput): Promise<QuotaRow> {
  const input = parseInput(quotaSchema, raw);
  const values = { max_vcpus: input.maxVcpus, max_memory_mb: input.maxMemoryMb, max_disk_gb: input.maxDiskGb, max_vms: input.maxVms, updated_at: new Date() };
  return db.transaction().execute(async (trx) => {
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
}
