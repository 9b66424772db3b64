// Everything the rest of Hangar knows about operations, derived from their declarations (one file
// each in this folder, listed by registry.generated.ts): the registry, the step table, the failure
// policies and the power actions.
import type { ImageOperation, Operation, VmState } from './define.ts';
import { ALL_OPERATIONS } from './registry.generated.ts';

type AnyOperation = (typeof ALL_OPERATIONS)[number];
export type OperationName = AnyOperation['name'];
export type OperationOf<N extends OperationName> = Extract<AnyOperation, { name: N }>;
/** The parameters a task of the operation takes (its schema's input). */
export type ParamsOf<N extends OperationName> = OperationOf<N> extends Operation<N, string, infer P> ? P : never;

export const OPERATIONS = Object.fromEntries(ALL_OPERATIONS.map((o) => [o.name, o])) as { [N in OperationName]: OperationOf<N> };
export const OPERATION_NAMES = ALL_OPERATIONS.map((o) => o.name) as OperationName[];

/** Operations on the image store (no VM, no host): they run on the image queue. */
export type ImageOperationName = Extract<AnyOperation, { kind: 'image' }>['name'];
export type VmOperationName = Exclude<OperationName, ImageOperationName>;
export const IMAGE_OPERATION_NAMES = ALL_OPERATIONS.filter((o) => isImageOperation(o)).map((o) => o.name) as ImageOperationName[];

export function isImageOperation(operation: Operation | ImageOperation): operation is ImageOperation {
  return 'kind' in operation && operation.kind === 'image';
}

/** Each operation's steps, in order: a task is written with them when it is queued. */
export const STEPS = Object.fromEntries(ALL_OPERATIONS.map((o) => [o.name, o.steps])) as { [N in OperationName]: OperationOf<N>['steps'] };

/** The operations with a power mutation of their own (`<verb>Vm(id)`, made from the declaration). */
export type PowerOperation = Extract<AnyOperation, { action: { power: { mutation: string } } }>;
export type PowerAction = PowerOperation['name'];
export const POWER_OPERATIONS = ALL_OPERATIONS.filter((o): o is PowerOperation => 'action' in o && 'power' in o.action);

/** The operations a VM's page offers (not create and deploy: they make it). */
export const VM_ACTIONS = (ALL_OPERATIONS as readonly (Operation | ImageOperation)[]).filter((o): o is Operation => !isImageOperation(o) && !(o.from.length === 1 && o.from[0] === 'creating'));

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name);
}

/** Why the VM's state does not allow the operation, or null when it does. */
export function stateRefusal(operation: Pick<Operation, 'from' | 'action'>, state: string): string | null {
  if ((operation.from as readonly string[]).includes(state)) return null;
  return `${operation.action.label} is not possible while the VM is ${STATE_WORDS[state as VmState] ?? state}`;
}

const STATE_WORDS: Record<VmState, string> = {
  creating: 'being made',
  starting: 'starting',
  running: 'running',
  rebooting: 'rebooting',
  migrating: 'moving to another host',
  stopped: 'stopped',
  paused: 'paused',
  stopping: 'shutting down',
  crashed: 'crashed',
  error: 'in error',
  unknown: 'in an unknown state',
  deleting: 'being deleted',
  deleted: 'deleted',
};

/** Whether a running task of the operation may be cancelled (it declares so); a power action that has started finishes. */
export function cancellableWhileRunning(operation: Pick<Operation, 'cancellable' | 'rollback'> | ImageOperation): boolean {
  return operation.cancellable === 'between-steps' && typeof operation.rollback === 'function';
}

/** Whether a queued task of the operation may be cancelled (not one whose asking already changed the VM's record). */
export function cancellableWhileQueued(operation: Pick<Operation, 'cancellable'> | ImageOperation): boolean {
  return operation.cancellable !== false;
}
