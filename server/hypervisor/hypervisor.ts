// The one interface operations receive for everything they do outside the database: a host's
// domains and volumes, its guests' agents, and the image tools that run beside the image store.
// It is the libvirt implementation's own surface (libvirt-hypervisor.ts, made by hypervisorFor()),
// less what only the worker's host checks use, so a new call is written once, where it runs.
// test/support/fake-hypervisor.ts answers the same calls from a host in memory.
//
// The contract every implementation keeps: destroy, undefine and start/resume of what is already
// so succeed (a retried operation goes on); deleteVolume of a missing volume succeeds and
// volumePath gives null for it; waitForGuestAgent throws GuestAgentTimeoutError when the agent
// never answers; shutdown, reset and suspend of a stopped domain fail.
import type { LibvirtHypervisor } from './libvirt-hypervisor.ts';

/** What only the host checks and the host monitor use, not operations. */
type HostOnly = 'run' | 'capabilities' | 'probeDomainType' | 'watchLifecycle' | 'ensurePool' | 'listPools' | 'volumePaths' | 'domainDisks' | 'ensureNatNetwork' | 'listNetworks' | 'vmAddresses';

export type Hypervisor = Omit<LibvirtHypervisor, HostOnly>;
