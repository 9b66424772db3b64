import { hostCapacity, type HostCapacity } from '../services/host-capacity.ts';
import { builder } from './builder.ts';
import { HostRef } from './host.ts';

// A host's capacity after overcommit: the figure placement checks and every page shows.

const HostCapacityRef = builder.objectRef<HostCapacity>('HostCapacity').implement({
  description: 'What a host may give out to VMs: its CPUs and memory times its overcommit',
  fields: (t) => ({
    cpus: t.exposeInt('cpus', { description: 'Physical CPUs (threads)' }),
    cpuOvercommit: t.exposeFloat('cpuOvercommit'),
    vcpus: t.exposeInt('vcpus', { description: 'Allocatable vCPUs: cpus × cpuOvercommit' }),
    memoryMb: t.exposeInt('memoryMb', { description: 'Physical memory' }),
    memoryOvercommit: t.exposeFloat('memoryOvercommit'),
    allocatableMemoryMb: t.exposeInt('allocatableMemoryMb', { description: 'Allocatable memory: memoryMb × memoryOvercommit' }),
  }),
});

builder.objectField(HostRef, 'capacity', (t) => t.field({ type: HostCapacityRef, resolve: (host, _args, ctx) => hostCapacity(host, ctx.config) }));
