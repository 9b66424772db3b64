import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, VmRow } from '../../db/types.ts';
import { NotFoundError, PermissionError } from '../errors.ts';
import { hasPrivilege, type Viewer } from './auth.ts';

/** Seeing: your own VMs, or every VM with VM.ViewAll (or VM.ManageAll: what you may act on, you may see). */
export function canSeeVm(viewer: Viewer | null, vm: Pick<VmRow, 'owner_id'>): boolean {
  return !!viewer && (vm.owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ViewAll') || hasPrivilege(viewer, 'VM.ManageAll'));
}

/** Acting: your own VMs, or every VM with VM.ManageAll. Seeing one never lets you act on it. */
export function canActOnVm(viewer: Viewer | null, vm: Pick<VmRow, 'owner_id'>): boolean {
  return !!viewer && (vm.owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ManageAll'));
}

/**
 * The one gate for a change to a VM: NotFound when the viewer cannot see it (ids reveal nothing),
 * PermissionError when they see it but may not act on it.
 */
export function assertMayActOnVm(viewer: Viewer, vm: Pick<VmRow, 'owner_id'> | undefined): asserts vm {
  if (!vm || !canSeeVm(viewer, vm)) throw new NotFoundError('The VM');
  if (!canActOnVm(viewer, vm)) throw new PermissionError('You may see this VM but not act on it: that needs VM.ManageAll');
}

/** A VM the viewer may act on (see assertMayActOnVm). */
export async function actionableVm(trx: Transaction<Database> | Db, viewer: Viewer, id: string, lock = false): Promise<VmRow> {
  let query = trx.selectFrom('vms').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) query = query.forUpdate();
  const vm = await query.executeTakeFirst();
  assertMayActOnVm(viewer, vm);
  return vm;
}
