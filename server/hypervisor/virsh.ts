// The names code outside hypervisor/ imported from here before virsh.ts was split (issue 17).
// New code imports from the file that owns each: a host is reached through hypervisorFor().
import type { LibvirtHypervisor } from './libvirt-hypervisor.ts';

export type { DomainState } from './domains.ts';
export type { LifecycleEvent } from './events.ts';
export type { DomainType, HostCapabilities } from './probe.ts';

/** What operations hold as ctx.virsh until they take a Hypervisor. */
export type Virsh = LibvirtHypervisor;
