// A VM's name, description and tags: what its owner (or VM.ManageAll) may change without touching its host.
import { z } from 'zod';
import type { VmRow } from '../../db/types.ts';
import { ValidationError } from '../errors.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { parseInput } from './validation.ts';
import { actionableVm } from './vm-authority.ts';
import { vmDescriptionSchema, vmNameSchema, vmTagsSchema } from './vm-input.ts';
import { publishVm } from './vms.ts';

export const vmDetailsSchema = z.object({
  name: vmNameSchema.nullish(),
  description: vmDescriptionSchema.nullish(),
  tags: vmTagsSchema.nullish(),
});
export type VmDetailsInput = z.input<typeof vmDetailsSchema>;

/**
 * Changes what is given (null or absent: unchanged). Only the database changes: the libvirt domain
 * keeps the title it was defined with (changing it is a host operation, not done here).
 */
export async function updateVmDetails(ctx: ServiceContext, id: string, raw: VmDetailsInput): Promise<VmRow> {
  const input = parseInput(vmDetailsSchema, raw);
  const changes = {
    ...(input.name != null ? { name: input.name } : {}),
    ...(input.description != null ? { description: input.description } : {}),
    ...(input.tags != null ? { tags: input.tags } : {}),
  };
  if (!Object.keys(changes).length) throw ValidationError.forField('name', 'Nothing to change: give a name, a description or tags');
  const vm = await ctx.db.transaction().execute(async (trx) => {
    const current = await actionableVm(trx, actorOf(ctx), id, true);
    return trx.updateTable('vms').set({ ...changes, updated_at: new Date() }).where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
  });
  publishVm(ctx.pubsub, vm);
  return vm;
}
