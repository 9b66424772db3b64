import { z } from 'zod';
import { defineOperation } from './define.ts';

export const vmSuspend = defineOperation({
  name: 'vm.suspend',
  steps: ['Suspend'],
  privileges: ['VM.PowerMgmt'],
  from: ['running'],
  needsOnlineHost: true,
  failure: 'keep',
  params: z.object({}),
  action: { action: 'SUSPEND', label: 'Pause', description: 'Pauses the VM in memory', power: { mutation: 'suspendVm' } },
  run: (ctx) => ctx.step('Suspend', () => ctx.hypervisor.suspend(ctx.vm.id)),
});
