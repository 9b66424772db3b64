import type { DomainState } from '../hypervisor/domains.ts';
import type { VmState } from '../services/vms.ts';

/** What a VM's libvirt domain state means to a user; null: the domain does not exist. */
export function vmStateOf(domain: DomainState | null): { state: VmState; message: string | null } {
  switch (domain) {
    case 'running':
    case 'blocked':
      return { state: 'running', message: null };
    case 'paused':
    case 'pmsuspended':
      return { state: 'paused', message: null };
    case 'shutdown':
      return { state: 'stopping', message: null };
    case 'shutoff':
      return { state: 'stopped', message: null };
    case 'crashed':
      return { state: 'crashed', message: 'The guest crashed' };
    case 'nostate':
      return { state: 'unknown', message: 'libvirt reports no state' };
    case null:
      return { state: 'error', message: 'The domain is missing on the host' };
  }
}
