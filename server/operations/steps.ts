// The steps each operation shows, in order. The task is written with them when it is queued, so
// a client sees the whole plan at once and each step advance as the worker runs it.
/** Deploying from an image, as the user watches it. Reinstall replaces the first step by "Power off". */
export const INSTALL_STEPS = [
  'Place the VM and its address',
  'Cache the image on the host',
  'Create the disk',
  'Grow the disk',
  'Write the cloud-init seed',
  'Define and start the domain',
  'Wait for the guest agent',
] as const;

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
  'vm.deploy': [...INSTALL_STEPS],
  'vm.reinstall': ['Power off', ...INSTALL_STEPS.slice(1)],
  'vm.resize': ['Power off', 'Change the domain', 'Grow the disk', 'Start the VM'],
  'vm.password': ['Set the password'],
  'vm.capture': ['Shut down the guest', 'Flatten the disk', 'Start the VM again', 'Copy it to the image store', 'Remove the machine identity', 'Compress and check the image'],
} as const satisfies Record<string, readonly string[]>;

export type OperationName = keyof typeof STEPS;
export const OPERATION_NAMES = Object.keys(STEPS) as OperationName[];
