// Which operations a VM can take now and why not: one rule, from the operations' declarations,
// that the API enforces when an operation is asked for and shows as Vm.actions.
import type { Db } from '../../db/connection.ts';
import type { HostRow, VmRow } from '../../db/types.ts';
import { ConflictError, PermissionError } from '../errors.ts';
import type { Operation } from '../operations/define.ts';
import { stateRefusal, VM_ACTIONS } from '../operations/registry.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import type { Privilege } from './privileges.ts';
import { canActOnVm } from './vm-authority.ts';

export interface VmActionStatus {
  action: string;
  operation: string;
  label: string;
  allowed: boolean;
  /** Why not, when not allowed. */
  reason: string | null;
}

type HostStatus = Pick<HostRow, 'name' | 'status'> | null;

/** Why the operation cannot run on the VM now, as the error the API answers with; null when it can. */
export function refusalOf(viewer: Viewer, operation: Operation, vm: VmRow, host: HostStatus): ConflictError | PermissionError | null {
  const missing = operation.privileges.find((p) => !hasPrivilege(viewer, p as Privilege));
  if (missing) return new PermissionError(`${operation.action.label} needs the ${missing} privilege`);
  if (!canActOnVm(viewer, vm)) return new PermissionError('You may see this VM but not act on it: that needs VM.ManageAll');
  const why = operation.refuses?.(vm) ?? stateRefusal(operation, vm.state);
  if (why) return new ConflictError(why);
  if (!vm.host_id || !host) return new ConflictError('The VM has no host');
  if (operation.needsOnlineHost && host.status !== 'online') return new ConflictError(`The host ${host.name} is ${host.status}`);
  return null;
}

/** Throws the refusal, if any: a ConflictError that says why, or a PermissionError. */
export function assertActionAllowed(viewer: Viewer, operation: Operation, vm: VmRow, host: HostStatus): void {
  const refusal = refusalOf(viewer, operation, vm, host);
  if (refusal) throw refusal;
}

/** Every action a VM's page offers, each allowed or with the reason it is not. */
export function actionsOf(viewer: Viewer, vm: VmRow, host: HostStatus): VmActionStatus[] {
  return VM_ACTIONS.map((operation) => {
    const refusal = refusalOf(viewer, operation, vm, host);
    return { action: operation.action.action, operation: operation.name, label: operation.action.label, allowed: !refusal, reason: refusal?.message ?? null };
  });
}

/** Each VM's actions, its host read once for all of them. */
export async function actionsOfVms(db: Db, viewer: Viewer, vms: readonly VmRow[]): Promise<VmActionStatus[][]> {
  const hostIds = [...new Set(vms.map((vm) => vm.host_id).filter((id): id is string => id !== null))];
  const hosts = hostIds.length ? await db.selectFrom('hosts').select(['id', 'name', 'status']).where('id', 'in', hostIds).execute() : [];
  return vms.map((vm) => actionsOf(viewer, vm, hosts.find((h) => h.id === vm.host_id) ?? null));
}
