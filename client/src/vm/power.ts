// The power actions, what each needs and whether it may lose data (then it asks first).
import type { Privilege, VmState } from '../gql/graphql.ts';
import {
  DeleteVmDocument,
  RebootVmDocument,
  ResetVmDocument,
  ResumeVmDocument,
  ShutdownVmDocument,
  StartVmDocument,
  StopVmDocument,
  SuspendVmDocument,
} from './documents.ts';
import { request } from '../lib/graphql.ts';
import type { Session } from '../lib/session.ts';

export type PowerAction = 'start' | 'shutdown' | 'stop' | 'reboot' | 'reset' | 'suspend' | 'resume' | 'delete';

export interface PowerActionInfo {
  label: string;
  privilege: Privilege;
  /** States in which the action makes sense. */
  from: VmState[];
  /** A sentence shown before it runs, when it can lose data. */
  confirm?: string;
  danger?: boolean;
}

export const POWER: Record<PowerAction, PowerActionInfo> = {
  start: { label: 'Start', privilege: 'VM_PowerMgmt', from: ['STOPPED', 'CRASHED', 'ERROR', 'UNKNOWN'] },
  shutdown: { label: 'Shut down', privilege: 'VM_PowerMgmt', from: ['RUNNING', 'PAUSED'] },
  stop: {
    label: 'Power off',
    privilege: 'VM_PowerMgmt',
    from: ['RUNNING', 'PAUSED', 'STOPPING', 'CRASHED', 'UNKNOWN'],
    confirm: 'Powering off is like pulling the plug: whatever the guest has not written to disk is lost.',
    danger: true,
  },
  reboot: { label: 'Reboot', privilege: 'VM_PowerMgmt', from: ['RUNNING'] },
  reset: {
    label: 'Reset',
    privilege: 'VM_PowerMgmt',
    from: ['RUNNING', 'PAUSED', 'CRASHED'],
    confirm: 'Resetting is like pressing the reset button: whatever the guest has not written to disk is lost.',
    danger: true,
  },
  suspend: { label: 'Pause', privilege: 'VM_PowerMgmt', from: ['RUNNING'] },
  resume: { label: 'Resume', privilege: 'VM_PowerMgmt', from: ['PAUSED'] },
  delete: {
    label: 'Delete',
    privilege: 'VM_Delete',
    from: ['RUNNING', 'STOPPED', 'STOPPING', 'PAUSED', 'CRASHED', 'ERROR', 'UNKNOWN', 'CREATING'],
    confirm: 'Deleting powers the VM off and removes its disks. This cannot be undone.',
    danger: true,
  },
};

/** Seeing is not acting: others' VMs (VM.ViewAll shows them) are acted on only with VM.ManageAll. */
export function mayActOn(session: Session, vm: { owner?: { id: string } | null }): boolean {
  return vm.owner?.id === session.me().id || session.can('VM_ManageAll');
}

/** Whether the viewer sees others' VMs (and so their owners) in lists. */
export function seesEveryVm(session: Session): boolean {
  return session.can('VM_ViewAll') || session.can('VM_ManageAll');
}

/** Runs a power action; returns the union member the server answered. */
export async function runPowerAction(action: PowerAction, id: string) {
  switch (action) {
    case 'start':
      return (await request(StartVmDocument, { id })).startVm;
    case 'shutdown':
      return (await request(ShutdownVmDocument, { id })).shutdownVm;
    case 'stop':
      return (await request(StopVmDocument, { id })).stopVm;
    case 'reboot':
      return (await request(RebootVmDocument, { id })).rebootVm;
    case 'reset':
      return (await request(ResetVmDocument, { id })).resetVm;
    case 'suspend':
      return (await request(SuspendVmDocument, { id })).suspendVm;
    case 'resume':
      return (await request(ResumeVmDocument, { id })).resumeVm;
    case 'delete':
      return (await request(DeleteVmDocument, { id })).deleteVm;
  }
}
