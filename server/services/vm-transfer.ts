// Giving a VM to another user: its ownership moves, its tasks stay attributed to who asked for them.
import type { UserRow, VmRow } from '../../db/types.ts';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import { hasPrivilege } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { checkQuota } from './quotas.ts';
import { actionableVm } from './vm-authority.ts';
import { publishVm } from './vms.ts';
import { attachedDiskGbOf } from './vm-disk-rows.ts';

export interface VmTransfer {
  vm: VmRow;
  previousOwner: Pick<UserRow, 'id' | 'email' | 'name'>;
  newOwner: Pick<UserRow, 'id' | 'email' | 'name'>;
}

/**
 * Moves the VM to `toUserId` when the caller may act on it and holds VM.Transfer, and the recipient
 * is enabled and has room in their quota. The recipient's quota row is locked (checkQuota) so two
 * transfers, or a transfer and a create, cannot both take their last slot.
 */
export async function transferVm(ctx: ServiceContext, vmId: string, toUserId: string): Promise<VmTransfer> {
  const actor = actorOf(ctx);
  if (!hasPrivilege(actor, 'VM.Transfer')) throw new PermissionError('Giving a VM to another user needs VM.Transfer');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await actionableVm(trx, actor, vmId, true);
    if (vm.state === 'deleting') throw new ConflictError('The VM is being deleted');
    const recipient = await trx.selectFrom('users').select(['id', 'email', 'name', 'disabled']).where('id', '=', toUserId).executeTakeFirst();
    if (!recipient) throw new NotFoundError('The user');
    if (recipient.disabled) throw ValidationError.forField('toUserId', `${recipient.email} is disabled: a VM can only be given to an enabled user`);
    if (recipient.id === vm.owner_id) throw ValidationError.forField('toUserId', `${recipient.email} already owns this VM`);
    const previousOwner = await trx.selectFrom('users').select(['id', 'email', 'name']).where('id', '=', vm.owner_id).executeTakeFirstOrThrow();
    await checkQuota(trx, recipient.id, { vcpus: vm.vcpus, memoryMb: vm.memory_mb, diskGb: vm.disk_gb + (await attachedDiskGbOf(trx, vm.id)) }, true, `the quota of ${recipient.email}`);
    const moved = await trx.updateTable('vms').set({ owner_id: recipient.id, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    return { vm: moved, previousOwner, newOwner: { id: recipient.id, email: recipient.email, name: recipient.name } };
  });
  // The new owner's lists gain it; the previous owner can no longer load it, so their open list keeps it until it is read again.
  publishVm(ctx.pubsub, result.vm);
  return result;
}
