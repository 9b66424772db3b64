// The power actions as the page shows them: their labels, their mutations, and whether they may
// lose data (then the page asks first). Whether one is allowed now is the server's answer, Vm.actions.
import type { VmActionName } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { request } from '../lib/graphql.ts';
import type { Session } from '../lib/session.ts';

// Each action's mutation: a new power action is its entry here, its document and its case below.
const StartVmDocument = graphql(`
  mutation StartVm($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
const ShutdownVmDocument = graphql(`
  mutation ShutdownVm($id: ID!) { shutdownVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
const StopVmDocument = graphql(`
  mutation StopVm($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
const RebootVmDocument = graphql(`
  mutation RebootVm($id: ID!) { rebootVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
const ResetVmDocument = graphql(`
  mutation ResetVm($id: ID!) { resetVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
const SuspendVmDocument = graphql(`
  mutation SuspendVm($id: ID!) { suspendVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
const ResumeVmDocument = graphql(`
  mutation ResumeVm($id: ID!) { resumeVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);
const DeleteVmDocument = graphql(`
  mutation DeleteVm($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }
`);

export type PowerAction = 'start' | 'shutdown' | 'stop' | 'reboot' | 'reset' | 'suspend' | 'resume' | 'delete';

export interface PowerActionInfo {
  label: string;
  /** Its name in Vm.actions. */
  action: VmActionName;
  /** A sentence shown before it runs, when it can lose data. */
  confirm?: string;
  danger?: boolean;
}

export const POWER: Record<PowerAction, PowerActionInfo> = {
  start: { label: 'Start', action: 'START' },
  shutdown: { label: 'Shut down', action: 'SHUTDOWN' },
  stop: {
    label: 'Power off',
    action: 'STOP',
    confirm: 'Powering off is like pulling the plug: whatever the guest has not written to disk is lost.',
    danger: true,
  },
  reboot: { label: 'Reboot', action: 'REBOOT' },
  reset: {
    label: 'Reset',
    action: 'RESET',
    confirm: 'Resetting is like pressing the reset button: whatever the guest has not written to disk is lost.',
    danger: true,
  },
  suspend: { label: 'Pause', action: 'SUSPEND' },
  resume: { label: 'Resume', action: 'RESUME' },
  delete: {
    label: 'Delete',
    action: 'DELETE',
    confirm: 'Deleting powers the VM off and removes its disks. This cannot be undone.',
    danger: true,
  },
};

/** A VM's action as the server sees it now: allowed, or the reason it is not. */
export function actionOf(vm: { actions: ReadonlyArray<{ action: VmActionName; allowed: boolean; reason?: string | null }> }, action: VmActionName): { allowed: boolean; reason: string | null } {
  const found = vm.actions.find((a) => a.action === action);
  return { allowed: !!found?.allowed, reason: found?.reason ?? (found ? null : 'Not offered') };
}

/** Whether the server allows the power action on the VM now. */
export const allows = (vm: Parameters<typeof actionOf>[0], action: PowerAction): boolean => actionOf(vm, POWER[action].action).allowed;

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
