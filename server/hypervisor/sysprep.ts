import { runCommand } from './command.ts';

// What makes a disk one machine rather than a template. cloud-init's instance data goes too, so
// a VM made from the image runs cloud-init as a new instance (new host keys, its own seed).
const OPERATIONS = ['machine-id', 'ssh-hostkeys', 'net-hwaddr', 'udev-persistent-net', 'dhcp-client-state', 'logfiles', 'bash-history', 'tmp-files', 'customize'];

/**
 * Strips machine identity from a disk image file on this machine with virt-sysprep (libguestfs).
 * Under emulation (no usable KVM) libguestfs must be told to use TCG, or its appliance may hang.
 */
export async function removeMachineIdentity(file: string, options: { emulated: boolean; timeoutMs?: number }): Promise<void> {
  await runCommand('virt-sysprep', ['-a', file, '--operations', OPERATIONS.join(','), '--delete', '/var/lib/cloud/*', '--truncate', '/etc/machine-id'], {
    timeoutMs: options.timeoutMs ?? 15 * 60_000,
    env: { LIBGUESTFS_BACKEND: process.env.LIBGUESTFS_BACKEND ?? 'direct', ...(options.emulated ? { LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg' } : {}) },
  });
}
