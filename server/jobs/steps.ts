// The steps each operation shows, in order. The task is written with them when it is queued, so
// a client sees the whole plan at once and each step advance as the worker runs it.
export const STEPS = {
  'vm.create': ['Allocate the disk', 'Define the domain', 'Start the VM'],
  'vm.start': ['Start the VM'],
  'vm.shutdown': ['Ask the guest to shut down', 'Wait for power-off'],
  'vm.stop': ['Power off'],
  'vm.reboot': ['Reboot'],
  'vm.reset': ['Reset'],
  'vm.suspend': ['Suspend'],
  'vm.resume': ['Resume'],
  'vm.delete': ['Power off', 'Remove the domain', 'Delete the volumes'],
} as const satisfies Record<string, readonly string[]>;

export type OperationName = keyof typeof STEPS;
export const OPERATION_NAMES = Object.keys(STEPS) as OperationName[];
