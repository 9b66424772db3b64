import { z } from 'zod';
import { defineOperation } from './define.ts';

/** Pulls the plug (virsh destroy): immediate, the guest gets no say. */
export const vmStop = defineOperation({
  name: 'vm.stop',
  steps: ['Power off'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'paused', 'starting', 'rebooting', 'stopping', 'crashed', 'unknown'],
  needsOnlineHost: true,
  failure: 'keep',
  during: 'stopping',
  params: z.object({}),
  action: { action: 'STOP', label: 'Power off', description: 'Powers the VM off at once, like pulling the plug', power: { mutation: 'stopVm' } },
  run: (ctx) => ctx.step('Power off', () => ctx.hypervisor.destroy(ctx.vm.id)),
});
