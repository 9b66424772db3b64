import { domainXml } from '../hypervisor/domain-xml.ts';
import { GiB, type JobContext, type Operation } from './operation.ts';

export const diskVolumeName = (vmId: string) => `${vmId}.qcow2`;

/** A blank-disk VM (optionally booting an ISO on the host): volume, domain, start. */
export const vmCreate: Operation = {
  name: 'vm.create',
  async run(ctx) {
    const { vm, virsh, settings } = ctx;
    const disk = await ctx.step('Allocate the disk', async () => {
      // A retried create finds its own volume from the earlier try and keeps it.
      return (await virsh.volumePath(settings.diskPool, diskVolumeName(vm.id))) ?? (await virsh.createVolume(settings.diskPool, diskVolumeName(vm.id), vm.disk_gb * GiB, 'qcow2'));
    });
    await ctx.step('Define the domain', () => virsh.define(domainXml(specOf(ctx, disk))));
    if (ctx.task.params.start === false) await ctx.skip('Start the VM', 'Not asked to start');
    else await ctx.step('Start the VM', () => virsh.start(vm.id));
  },
  async rollback({ vm, virsh, settings }) {
    await virsh.destroy(vm.id);
    await virsh.undefine(vm.id);
    await virsh.deleteVolume(settings.diskPool, diskVolumeName(vm.id));
  },
};

export function specOf({ vm, host, settings }: JobContext, diskPath: string) {
  return {
    id: vm.id,
    title: vm.name,
    description: vm.description,
    domainType: host.domain_type as 'kvm' | 'qemu',
    vcpus: vm.vcpus,
    memoryMb: vm.memory_mb,
    disks: [{ path: diskPath, format: 'qcow2' as const }],
    cdromPath: vm.iso_path,
    network: settings.network,
    vncListen: settings.vncListen,
    guestAgent: true,
  };
}
