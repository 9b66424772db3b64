import { z } from 'zod';
import { defineOperation } from './define.ts';

export const vmStart = defineOperation({
  name: 'vm.start',
  steps: ['Start the VM'],
  privileges: ['VM.PowerMgmt'],
  from: ['stopped', 'crashed', 'error', 'unknown'],
  needsOnlineHost: true,
  failure: 'keep',
  during: 'starting',
  params: z.object({}),
  action: { action: 'START', label: 'Start', description: 'Starts the VM', power: { mutation: 'startVm' } },
  run: (ctx) => ctx.step('Start the VM', () => ctx.hypervisor.start(ctx.vm.id)),
});
